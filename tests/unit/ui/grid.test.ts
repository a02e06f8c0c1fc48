/**
 * The grid's one filtering/sorting function (`viewRows`), shared by the grid and its exports,
 * and the export's status line. Expected orders are written out by hand.
 */
import { expect, test } from 'vitest';
import { Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { PLAIN_VIEW, exportSummary, gridColumns, viewRows, type GridColumn, type GridView } from '../../../src/ui/grid';

function column(name: string, values: unknown[], opts: Partial<GridColumn> = {}): GridColumn {
  const numeric = values.some((v) => typeof v === 'number');
  return { name, title: name, type: numeric ? 'Float64' : 'Utf8', kind: 'value', numeric, get: (i) => values[i] ?? null, ...opts };
}

/** Row indices in the order shown (the plain view, which returns null, is tested on its own). */
const rows = (n: number, cols: GridColumn[], view: GridView): number[] => [...(viewRows(n, cols, view) ?? [])];

// Index:            0      1       2       3     4      5     6      7
const words = ['Жук', 'ёлка', 'Аист', null, 'Еда', 'Ёж', 'Ель', 'яблоко'];
const name = column('Слово', words);

test('text sorts in Russian collation: «ё» with «е», any case; empty values last both ways', () => {
  // Code points would put «Ё» (U+0401) before «А» and «ё» (U+0451) after «я».
  expect(rows(8, [name], { sort: { column: 0, dir: 'asc' }, query: '' }).map((i) => words[i])).toEqual(['Аист', 'Еда', 'Ёж', 'ёлка', 'Ель', 'Жук', 'яблоко', null]);
  expect(rows(8, [name], { sort: { column: 0, dir: 'desc' }, query: '' }).map((i) => words[i])).toEqual(['яблоко', 'Жук', 'Ель', 'ёлка', 'Ёж', 'Еда', 'Аист', null]);
});

test('numbers sort by value, numbers kept as text by their digits; ties keep the original order', () => {
  const score = column('Балл', [10, 9, null, 100, 2.5, 9]);
  expect(rows(6, [score], { sort: { column: 0, dir: 'asc' }, query: '' })).toEqual([4, 1, 5, 0, 3, 2]);
  expect(rows(6, [score], { sort: { column: 0, dir: 'desc' }, query: '' })).toEqual([3, 0, 1, 5, 4, 2]);
  // A text column of codes: «2» < «9» < «10» < «100», not «10» < «100» < «2» < «9».
  const codes = column('Код', ['10', '9', '100', null, '2', 'класс 10', 'класс 9']);
  expect(rows(7, [codes], { sort: { column: 0, dir: 'asc' }, query: '' })).toEqual([4, 1, 0, 2, 6, 5, 3]);
});

test('search keeps rows whose shown text contains the query: any case, «е» for «ё», a plain space for a non-breaking one', () => {
  expect(rows(8, [name], { sort: null, query: 'ЕЛ' })).toEqual([1, 6]);
  expect(rows(8, [name], { sort: null, query: '  ёж ' })).toEqual([5]);
  expect(rows(8, [name], { sort: null, query: 'нет такого' })).toEqual([]);
  // Shares are shown as «45,0 %» (a non-breaking space before «%»).
  const share = column('Доля', [0.45, 0.5], { kind: 'percent' });
  expect(rows(2, [share], { sort: null, query: '45,0 %' })).toEqual([0]);
  expect(rows(2, [share], { sort: null, query: '0.45' })).toEqual([]);
});

test('the plain view changes nothing; search and sort together keep the found rows in sorted order', () => {
  const score = column('Балл', [3, 1, 2, null, 5, 4, 1, 0]);
  expect(viewRows(8, [name, score], PLAIN_VIEW)).toBeNull();
  expect(viewRows(8, [name, score], { sort: null, query: '   ' })).toBeNull();
  // «е» finds Еда(4), Ёж(5), ёлка(1), Ель(6) — and «яблоко»(7) has no «е»; by score descending: 5, 4, 1, 1.
  expect(rows(8, [name, score], { sort: { column: 1, dir: 'desc' }, query: 'е' })).toEqual([4, 5, 1, 6]);
});

test('an Arrow result: school codes sort by the name shown and are found by name or code', () => {
  const table = new Table({
    school_id: vectorFromArray(['220005', '220001', null, '220010'], new Utf8()),
    avg_score: vectorFromArray([12.5, null, 3, 7], new Float64()),
  });
  const cols = gridColumns(table);
  expect(cols.map((c) => [c.kind, c.numeric])).toEqual([['school', false], ['value', true]]);
  const names = new Map([['220005', 'СОШ № 5'], ['220001', 'Лицей № 1'], ['220010', 'Гимназия № 10']]);
  const view = (v: GridView) => [...(viewRows(4, cols, v, names) ?? [])];
  expect(view({ sort: { column: 0, dir: 'asc' }, query: '' })).toEqual([3, 1, 0, 2]);
  expect(view({ sort: { column: 1, dir: 'asc' }, query: '' })).toEqual([2, 3, 0, 1]);
  expect(view({ sort: null, query: 'лицей' })).toEqual([1]);
  expect(view({ sort: null, query: '0001' })).toEqual([1]);
  expect(view({ sort: null, query: '2200' })).toEqual([0, 1, 3]);
  expect(view({ sort: null, query: '12,5' })).toEqual([0]);
});

test('the export says what it wrote', () => {
  const cols = [column('school', [], { title: 'ОО' }), column('score', [], { title: 'Балл' })];
  expect(exportSummary(120, 37, { sort: null, query: ' лицей ' }, cols)).toBe('Выгружено: 37 из 120 строк — с учётом поиска «лицей»');
  expect(exportSummary(21, 1, { sort: { column: 1, dir: 'asc' }, query: 'x' }, cols)).toBe('Выгружено: 1 из 21 строки — с учётом поиска «x», по столбцу «Балл»');
  expect(exportSummary(120, 120, { sort: { column: 1, dir: 'desc' }, query: '' }, cols, 'лицей')).toBe('Выгружено: 120 строк — все строки, без учёта поиска «лицей», по столбцу «Балл», по убыванию');
  expect(exportSummary(1, 1, PLAIN_VIEW, cols)).toBe('Выгружено: 1 строка');
  expect(exportSummary(1234, 1234, PLAIN_VIEW, cols)).toBe('Выгружено: 1\u00a0234 строки');
});
