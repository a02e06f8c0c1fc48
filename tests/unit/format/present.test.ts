import { expect, test } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { readFileSync } from 'node:fs';
import {
  INDICATOR_TITLES,
  cellDisplay,
  cellHover,
  columnKind,
  columnTitle,
  dimensionTitle,
  dimensionValueTitle,
  formatValue,
  russianNumbersInText,
  ruFieldTitle,
  schoolLabel,
  shortSchoolName,
  withRussianLocale,
} from '../../../src/format';
import { formatValue as markdownValue } from '../../../src/notebook/values';
import { CONTRACT } from '../../../src/model/contract';

const S = '\u00a0';

test('every indicator id of the catalogue has a Russian title', () => {
  const md = readFileSync(new URL('../../../../shared/indicators.md', import.meta.url), 'utf8');
  const ids = [...md.matchAll(/^\| ([A-Z]+-\d\d) \|/gm)].map((m) => m[1]!);
  expect(ids.length).toBeGreaterThan(100);
  for (const id of ids) {
    expect(INDICATOR_TITLES[id], id).toMatch(/[А-Яа-яЁё]/);
    expect(INDICATOR_TITLES[id], id).not.toMatch(/^…|^То же/);
  }
  expect(INDICATOR_TITLES['PREP-11']).toBe('Доля успешно справившихся с заданиями по математической грамотности');
});

test('every canonical column has a Russian title', () => {
  for (const t of Object.values(CONTRACT)) for (const c of t.columns) expect(columnTitle(c.name), `${t.name}.${c.name}`).toMatch(/^[^a-z]*[А-ЯЁа-яё]/);
  expect(columnTitle('school_id')).toBe('ОО');
  expect(columnTitle('indicator_id')).toBe('Показатель');
  expect(columnTitle('numerator')).toBe('Числитель');
  expect(columnTitle('primary_score')).toBe('Первичный балл');
  expect(columnTitle('моя колонка')).toBe('моя колонка');
});

test('dimensions and their compound forms read in Russian', () => {
  expect(dimensionTitle('settlement_type')).toBe('Тип населённого пункта');
  expect(dimensionTitle('icc|textbook')).toBe('Внутриклассовая корреляция (ICC): Учебник');
  expect(dimensionTitle('design_effect|settlement_type')).toBe('Эффект плана (design effect): Тип населённого пункта');
  expect(dimensionTitle('adjusted|category')).toBe('С поправкой на классы: Квалификационная категория');
  expect(dimensionTitle('ci_low|part|experience')).toBe('Нижняя граница 95% ДИ: Часть КИМ: Педагогический стаж');
  expect(dimensionTitle('p_value|hours_per_week')).toBe('p-значение: Часов в неделю');
  expect(dimensionTitle('cluster_profile|mean_pct:ВПР')).toBe('Профиль кластера: Средний % от максимума: ВПР');
  expect(dimensionTitle(null)).toBe('Все');
  expect(dimensionValueTitle('pk_course')).toBe('Курсы повышения квалификации');
  expect(dimensionValueTitle('город')).toBe('город');
});

test('numbers inside Russian text get decimal commas; dates and bare codes stay', () => {
  const reason = 'OBJ-01 (ВПР): повысили 66.2% при 16.8% по муниципалитету; ρ = -0.57 (p = 0.000)';
  expect(russianNumbersInText(reason)).toBe('OBJ-01 (ВПР): повысили 66,2% при 16,8% по муниципалитету; ρ = -0,57 (p = 0,000)');
  expect(russianNumbersInText('K = 2.54 на 21.05.2025')).toBe('K = 2,54 на 21.05.2025');
  expect(russianNumbersInText('4.1')).toBe('4.1');
});

test('one formatter: Markdown and tables show the same value the same way', () => {
  expect(formatValue(0.8918, 'pct')).toBe(`89,2${S}%`);
  expect(markdownValue(0.8918, 'pct')).toBe(`89,2${S}%`);
  expect(cellDisplay(0.8918, columnKind('share', [0.8918, 0.1]))).toBe(`89,2${S}%`);
  expect(formatValue(90)).toBe('90');
  expect(formatValue(2024)).toBe('2024');
  expect(formatValue(123456)).toBe(`123${S}456`);
  expect(formatValue(2.5444)).toBe('2,54');
  expect(formatValue(0.0012)).toBe('0,0012');
  expect(formatValue(17.3)).toBe('17,3');
  expect(formatValue(90, 'num:1')).toBe('90,0');
  expect(formatValue(10n)).toBe('10');
  expect(markdownValue(null)).toBe('—');
  expect(formatValue('0.25', 'pct')).toBe(`25,0${S}%`);
  for (const v of [0.5, 1.25, 1234.5678, 0.000123, 99.95]) expect(formatValue(v)).not.toContain('.');
});

test('a share column shows percents only when every value is a share', () => {
  expect(columnKind('low_share', [0.1, 0.9])).toBe('percent');
  expect(columnKind('Доля ниже порога', [0.2])).toBe('percent');
  expect(columnKind('share', [12.5])).toBe('value');
  expect(columnKind('mean', [0.5])).toBe('value');
  expect(columnKind('school_id')).toBe('school');
  expect(columnKind('ОО')).toBe('school');
});

test('schools: short names, the code on hover, the municipality for an empty code', () => {
  expect(shortSchoolName('МБОУ «СОШ № 5» г. Светлоозёрска')).toBe('СОШ № 5');
  expect(shortSchoolName('МБОУ «Октябрьская СОШ № 1»')).toBe('Октябрьская СОШ № 1');
  expect(shortSchoolName('МБДОУ «Детский сад № 1 «Солнышко»» г. Светлоозёрска')).toBe('Детский сад № 1 «Солнышко»');
  expect(shortSchoolName('КГБОУ «Лесозаводская школа-интернат»')).toBe('Лесозаводская школа-интернат');
  expect(shortSchoolName('Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 8»')).toBe('СОШ № 8');
  const names = new Map([['220005', 'СОШ № 5']]);
  expect(schoolLabel('220005', names)).toBe('СОШ № 5');
  expect(schoolLabel('999', names)).toBe('999');
  expect(schoolLabel(null, names)).toBe('Муниципалитет');
  expect(cellDisplay('220005', 'school', names)).toBe('СОШ № 5');
  expect(cellHover('220005', 'school', names)).toBe('СОШ № 5 (код 220005)');
});

async function svgOf(spec: object): Promise<string> {
  const view = new View(parse(compile(spec as never, { fieldTitle: ruFieldTitle as never }).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

test('charts: school codes become names on the axis, field names become Russian titles', async () => {
  const names = new Map([['220001', 'Лицей № 1'], ['220002', 'Гимназия № 2']]);
  const spec = withRussianLocale(
    {
      data: { values: [{ school_id: '220001', mean: 17.25 }, { school_id: '220002', mean: 15.5 }] },
      mark: 'bar',
      encoding: { y: { field: 'school_id', type: 'nominal' }, x: { field: 'mean', type: 'quantitative' } },
    },
    names,
  );
  const svg = await svgOf(spec);
  expect(svg).toContain('Лицей № 1');
  expect(svg).toContain('Гимназия № 2');
  expect(svg).not.toContain('220001');
  expect(svg).toContain('>ОО<');
  expect(svg).toContain('Среднее');
});

test('charts: two schools with the same short name keep their codes apart', () => {
  const names = new Map([['1', 'СОШ № 1'], ['2', 'СОШ № 1']]);
  const spec = withRussianLocale({ data: { values: [{ school_id: '1' }, { school_id: '2' }] }, mark: 'point' }, names) as { data: { values: { school_id: string }[] } };
  expect(spec.data.values.map((r) => r.school_id)).toEqual(['СОШ № 1 (1)', 'СОШ № 1 (2)']);
});

test('charts: no rows → the empty-state message instead of «0,000000» axes', async () => {
  const spec = withRussianLocale({
    title: 'Средний балл ОО',
    empty: 'Нет данных: ОГЭ, 5 класс',
    data: { values: [] },
    mark: 'bar',
    encoding: { x: { field: 'mean', type: 'quantitative' } },
  });
  const svg = await svgOf(spec);
  expect(svg).toContain('Нет данных: ОГЭ, 5 класс');
  expect(svg).toContain('Средний балл ОО');
  expect(svg).not.toMatch(/0,0000/);
});

test('Markdown specs name things: ${factor|dim}, ${school|school}, ${id|ind}', () => {
  expect(markdownValue('textbook', 'dim')).toBe('Учебник');
  expect(markdownValue('settlement_type', 'dim')).toBe('Тип населённого пункта');
  expect(markdownValue('GIA-03', 'ind')).toBe(INDICATOR_TITLES['GIA-03']);
  expect(markdownValue('no-such-code', 'school')).toBe('no-such-code');
});

test('numbers a query cast to text read with a comma, codes that look like numbers stay', () => {
  expect(cellDisplay('-1.5', columnKind('Разница при равных условиях'))).toBe('-1,5');
  expect(cellDisplay('< 0.0001', columnKind('p (с учётом школ)'))).toBe('< 0,0001');
  expect(cellDisplay('4.1', columnKind('task'))).toBe('4.1');
  expect(cellDisplay('4.1', columnKind('Задание'))).toBe('4.1');
});

test('interval bounds beside a percent column are percents too', async () => {
  const { tableKinds } = await import('../../../src/format');
  const rows: Record<string, unknown[]> = { grp: ['город', 'село'], rate: [0.698, 0.652], ci_low: [0.64, 0.6], ci_high: [0.75, 0.7], n: [81, 93] };
  expect(tableKinds(Object.keys(rows), (n) => rows[n]!)).toEqual(['value', 'percent', 'percent', 'percent', 'value']);
  const means: Record<string, unknown[]> = { mean: [17.2], ci_low: [15.1], ci_high: [19.3] };
  expect(tableKinds(Object.keys(means), (n) => means[n]!)).toEqual(['value', 'value', 'value']);
});
