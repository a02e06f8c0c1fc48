import { afterAll, beforeAll, expect, test } from 'vitest';
import JSZip from 'jszip';
import { NodeConnector } from '../../../src/db/node-connector';
import { openBundle, readBundle, tablesUsedBy, writeBundle } from '../../../src/export/bundle';

const NOTEBOOK = `---
title: Итоги ОГЭ
---

# Итоги

\`\`\`sql id=c1 name=by_school
SELECT s.name, avg(r.primary_score) AS mean FROM assessment_results r JOIN "schools" s USING (school_id) GROUP BY 1
\`\`\`
`;

let src: NodeConnector;
beforeAll(async () => {
  src = await NodeConnector.open();
  await src.query({ type: 'exec', sql: `CREATE TABLE schools (year INTEGER, school_id VARCHAR, name VARCHAR, social_index DOUBLE, shnor BOOLEAN, shnsu BOOLEAN)` });
  await src.query({ type: 'exec', sql: `INSERT INTO schools VALUES (2025, 'ОО-1', 'СОШ № 1', 0.75, false, NULL), (2025, 'ОО-2', 'Лицей «Эврика»', NULL, true, NULL)` });
  await src.query({ type: 'exec', sql: `CREATE TABLE assessment_results (year INTEGER, school_id VARCHAR, student_id VARCHAR, primary_score DOUBLE, mark INTEGER)` });
  await src.query({ type: 'exec', sql: `INSERT INTO assessment_results VALUES (2025, 'ОО-1', 'a', 21.5, 4), (2025, 'ОО-2', 'b', 30, 5), (2025, 'ОО-2', 'c', 7, 2)` });
  await src.query({ type: 'exec', sql: `CREATE TABLE staff (year INTEGER, staff_id VARCHAR)` });
});
afterAll(async () => src?.close());

test('the tables a notebook uses are found by name, not by substring', () => {
  expect(tablesUsedBy(NOTEBOOK, ['schools', 'assessment_results', 'staff', 'tasks'])).toEqual(['schools', 'assessment_results']);
  expect(tablesUsedBy('SELECT * FROM task_scores', ['tasks', 'task_scores'])).toEqual(['task_scores']);
});

test('a bundle holds the notebook, the tables it uses as Parquet, and a manifest', async () => {
  const zipBytes = await writeBundle(src, NOTEBOOK, { title: 'Итоги ОГЭ' });
  const zip = await JSZip.loadAsync(zipBytes);
  expect(Object.keys(zip.files).sort()).toEqual(['data/', 'data/assessment_results.parquet', 'data/schools.parquet', 'manifest.json', 'Итоги_ОГЭ.md']);
  const b = await readBundle(zipBytes);
  expect(b.notebook).toBe(NOTEBOOK);
  expect(b.manifest.tables.map((t) => [t.name, t.rows]).sort()).toEqual([['assessment_results', 3], ['schools', 2]]);
});

test('opening the bundle in a fresh database restores the same rows and types', async () => {
  const zipBytes = await writeBundle(src, NOTEBOOK, { title: 'Итоги ОГЭ' });
  const dst = await NodeConnector.open();
  try {
    const opened = await openBundle(dst, zipBytes);
    expect(opened.tables.sort()).toEqual(['assessment_results', 'schools']);
    expect(opened.notebook).toBe(NOTEBOOK);
    const q = `SELECT * FROM schools ORDER BY school_id`;
    expect(await dst.query({ type: 'rows', sql: q })).toEqual(await src.query({ type: 'rows', sql: q }));
    const r = `SELECT * FROM assessment_results ORDER BY student_id`;
    expect(await dst.query({ type: 'rows', sql: r })).toEqual(await src.query({ type: 'rows', sql: r }));
    const types = await dst.query({ type: 'rows', sql: `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'schools' ORDER BY ordinal_position` });
    expect(types.map((t) => t.data_type)).toEqual(['INTEGER', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'BOOLEAN', 'BOOLEAN']);
  } finally {
    await dst.close();
  }
});

test('without a Parquet reader (DuckDB-WASM offline) the bundle opens through Arrow with the same types', async () => {
  const zipBytes = await writeBundle(src, NOTEBOOK, { title: 'Итоги ОГЭ' });
  const dst = await NodeConnector.open();
  const noParquet = new Proxy(dst, {
    get(target, prop, receiver) {
      if (prop === 'query')
        return (req: { sql: string }) => {
          if (/read_parquet/.test(req.sql)) return Promise.reject(new Error('Catalog Error: Table Function with name read_parquet is not in the catalog'));
          return target.query(req as never);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  try {
    await openBundle(noParquet, zipBytes);
    const q = `SELECT * FROM schools ORDER BY school_id`;
    expect(await dst.query({ type: 'rows', sql: q })).toEqual(await src.query({ type: 'rows', sql: q }));
    const types = await dst.query({ type: 'rows', sql: `SELECT data_type FROM information_schema.columns WHERE table_name = 'assessment_results' ORDER BY ordinal_position` });
    expect(types.map((t) => t.data_type)).toEqual(['INTEGER', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'INTEGER']);
    expect((await dst.listTables()).map((t) => t.name).sort()).toEqual(['assessment_results', 'schools']);
  } finally {
    await dst.close();
  }
});

test('a file that is not a bundle is refused with a Russian message naming it', async () => {
  await expect(readBundle(new TextEncoder().encode('not a zip'), 'данные.zip')).rejects.toThrow(/«данные\.zip».*не является пакетом/);
  const zip = new JSZip();
  zip.file('x.md', '# x');
  await expect(readBundle(await zip.generateAsync({ type: 'uint8array' }), 'x.zip')).rejects.toThrow(/нет manifest\.json/);
});
