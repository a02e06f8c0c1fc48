import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { newCellId, parseNotebook, serializeNotebook } from '../../../src/notebook/format';
import type { NotebookData } from '../../../src/notebook/model';

const dir = 'tests/fixtures/notebook';
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.md'));
const templates = readdirSync('notebooks', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));

describe('round trip', () => {
  test.each(fixtures)('fixture %s serialises back byte for byte', (f) => {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
  });
  test.each(templates)('template notebooks/%s serialises back byte for byte', (f) => {
    const text = readFileSync(`notebooks/${f}`, 'utf8');
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
  });
});

describe('parse', () => {
  const nb = parseNotebook(readFileSync(`${dir}/all-kinds.md`, 'utf8'));

  test('every cell kind with ids, names and attributes', () => {
    expect(nb.cells.map((c) => [c.kind, c.id, c.name ?? null])).toEqual([
      ['md', 'md-1', null],
      ['sql', 's1', 'base'],
      ['md', 'm2', null],
      ['md', 'm3', 'note'],
      ['ts', 't1', 'calc'],
      ['vega-lite', 'v1', null],
      ['param', 'p1', 'flag'],
      ['md', 'md-8', null],
      ['sql', 'sql-9', null],
      ['sql', 'empty', 'empty_cell'],
      ['md', 'md-11', null],
    ]);
    expect(nb.cells[5].attrs).toEqual({ data: 'base', title: 'Мой график' });
    expect(nb.cells[1].source).toBe('SELECT 1 AS x  -- comment with ```');
    expect(nb.cells[9].source).toBe('');
    expect(nb.cells[7].source).toContain('not a cell, part of Markdown');
  });

  test('front matter is parsed YAML', () => {
    expect(nb.frontMatter.title).toBe('Все виды ячеек');
    expect(nb.frontMatter.parameters).toEqual([
      { name: 'year', type: 'number', label: 'Год', default: 2024 },
      { name: 'region', type: 'text', default: "O'Brien" },
    ]);
  });

  test('outputs and runtime state are not part of the file model', () => {
    for (const c of nb.cells) expect(Object.keys(c).sort()).toEqual(expect.arrayContaining(['attrs', 'id', 'kind', 'source']));
    for (const c of nb.cells) for (const k of Object.keys(c)) expect(['id', 'kind', 'name', 'source', 'attrs', 'layout']).toContain(k);
  });
});

describe('edits', () => {
  const text = readFileSync(`${dir}/doc-example.md`, 'utf8');

  test('editing one cell changes only that cell in the file', () => {
    const nb = parseNotebook(text);
    nb.cells[1] = { ...nb.cells[1], source: 'SELECT 0.5 AS value' };
    const out = serializeNotebook(nb);
    const before = text.split('\n');
    const after = out.split('\n');
    expect(after.length).toBe(before.length - 1);
    expect(out).toContain('```sql id=c1 name=low_share\nSELECT 0.5 AS value\n```');
    expect(out.startsWith(text.slice(0, text.indexOf('```sql')))).toBe(true);
    expect(out.endsWith(text.slice(text.indexOf('```vega-lite')))).toBe(true);
  });

  test('renaming and new cells are written with explicit ids and re-parse identically', () => {
    const nb = parseNotebook(text);
    nb.cells[1] = { ...nb.cells[1], name: 'renamed' };
    const id = newCellId(nb.cells.map((c) => c.id));
    nb.cells.splice(2, 0, { id, kind: 'sql', name: 'extra', source: "SELECT 'a' AS x", attrs: {} });
    nb.cells.push({ id: 'm9', kind: 'md', source: 'Текст', attrs: {} });
    nb.frontMatter = { ...nb.frontMatter, title: 'Другое' };
    const out = serializeNotebook(nb);
    expect(out).toContain('```sql id=c1 name=renamed\n');
    expect(out).toContain(`\`\`\`sql id=${id} name=extra\nSELECT 'a' AS x\n\`\`\``);
    expect(out).toContain('<!-- cell id=m9 -->\nТекст');
    const again = parseNotebook(out);
    expect(again.frontMatter.title).toBe('Другое');
    expect(again.cells.map((c) => [c.id, c.kind, c.name, c.source])).toEqual(nb.cells.map((c) => [c.id, c.kind, c.name, c.source]));
    expect(serializeNotebook(again)).toBe(out);
  });

  test('changing one front-matter key keeps every other line (and comments) as written', () => {
    const src = '---\ntitle: A\n# comment\nparameters:\n  - { name: y, type: number, default: 1, label: "Год, с кавычками" }\n---\n\nText\n';
    const nb = parseNotebook(src);
    nb.frontMatter = { ...nb.frontMatter, title: 'Б', description: 'Новое' };
    expect(serializeNotebook(nb)).toBe(src.replace('title: A', 'title: Б').replace('---\n\nText', 'description: Новое\n---\n\nText'));
  });

  test('a notebook built in memory serialises to the documented format', () => {
    const nb: NotebookData = {
      frontMatter: { title: 'Т', parameters: [{ name: 'y', type: 'number', default: 1 }] },
      cells: [
        { id: 'a', kind: 'md', source: '# Заголовок', attrs: {} },
        { id: 'b', kind: 'sql', name: 'q', source: 'SELECT $y AS v', attrs: {} },
        { id: 'c', kind: 'vega-lite', source: '{ "mark": "bar" }', attrs: { data: 'q' } },
      ],
      trailing: '\n',
    };
    const out = serializeNotebook(nb);
    expect(out).toBe(
      '---\ntitle: Т\nparameters:\n  - name: y\n    type: number\n    default: 1\n---\n\n<!-- cell id=a -->\n# Заголовок\n\n```sql id=b name=q\nSELECT $y AS v\n```\n\n```vega-lite id=c data=q\n{ "mark": "bar" }\n```\n',
    );
    expect(parseNotebook(out).cells.map((c) => c.attrs)).toEqual([{}, {}, { data: 'q' }]);
  });
});
