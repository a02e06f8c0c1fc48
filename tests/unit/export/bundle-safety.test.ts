/** Bundles open atomically, only with canonical tables from the manifest, and only with consent (issue #14). */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import JSZip from 'jszip';
import { NodeConnector } from '../../../src/db/node-connector';
import { openBundle, tablesForNotebook, writeBundle } from '../../../src/export/bundle';

const NOTEBOOK = `---
title: Пакет
---

\`\`\`sql id=c1 name=x
SELECT * FROM schools JOIN assessment_results USING (school_id)
\`\`\`
`;

let src: NodeConnector;
let dst: NodeConnector;
let bundle: Uint8Array;
beforeAll(async () => {
  src = await NodeConnector.open();
  await src.query({ type: 'exec', sql: `CREATE TABLE schools (school_id VARCHAR, name VARCHAR)` });
  await src.query({ type: 'exec', sql: `INSERT INTO schools VALUES ('9', 'Из пакета')` });
  await src.query({ type: 'exec', sql: `CREATE TABLE assessment_results (school_id VARCHAR, student_id VARCHAR, primary_score DOUBLE)` });
  await src.query({ type: 'exec', sql: `INSERT INTO assessment_results VALUES ('9', 'a', 1), ('9', 'b', 2)` });
  bundle = await writeBundle(src, NOTEBOOK, { title: 'Пакет' });
  dst = await NodeConnector.open();
});
afterAll(async () => {
  await src?.close();
  await dst?.close();
});

const mine = [{ school_id: '1', name: 'Моя школа' }];
beforeEach(async () => {
  await dst.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE schools AS SELECT '1' AS school_id, 'Моя школа' AS name` });
  await dst.query({ type: 'exec', sql: `DROP TABLE IF EXISTS assessment_results` });
  await dst.query({ type: 'exec', sql: `DROP TABLE IF EXISTS evil` });
});
const schools = () => dst.query({ type: 'rows', sql: 'SELECT school_id, name FROM schools ORDER BY 1' });
const tableNames = async () => (await dst.listTables()).map((t) => t.name).sort();

async function tamper(edit: (zip: JSZip, manifest: any) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bundle);
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  await edit(zip, manifest);
  zip.file('manifest.json', JSON.stringify(manifest));
  return zip.generateAsync({ type: 'uint8array' });
}

test('declined consent: nothing replaced, no staging table left', async () => {
  const asked: unknown[] = [];
  const r = await openBundle(dst, bundle, 'пакет.zip', { consent: async (req) => (asked.push(req), false) });
  expect(asked).toEqual([{ tables: ['assessment_results', 'schools'], mode: 'replace', file: 'пакет.zip' }]);
  expect(r.declined).toBe(true);
  expect(r.tables).toEqual([]);
  expect(await schools()).toEqual(mine);
  expect(await tableNames()).toEqual(['schools']);
});

test('agreed: both tables replaced', async () => {
  const r = await openBundle(dst, bundle, 'пакет.zip', { consent: async () => true });
  expect([...r.tables].sort()).toEqual(['assessment_results', 'schools']);
  expect(await schools()).toEqual([{ school_id: '9', name: 'Из пакета' }]);
  expect(await dst.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM assessment_results' })).toEqual([{ n: 2 }]);
});

test('one unreadable table: the bundle does not open and no table changes (all or none)', async () => {
  const broken = await tamper((zip) => void zip.file('data/assessment_results.parquet', 'не parquet'));
  await expect(openBundle(dst, broken, 'пакет.zip', { consent: async () => true })).rejects.toThrow(/assessment_results.*не читается.*данные не изменены/);
  expect(await schools()).toEqual(mine);
  expect(await tableNames()).toEqual(['schools']);
});

test('only canonical tables of the manifest load; others are ignored with a message', async () => {
  const evil = await tamper((zip, m) => {
    m.tables.push({ ...m.tables[0], name: 'evil' }, { ...m.tables[0], name: 'main"; DROP TABLE schools; --' });
  });
  const r = await openBundle(dst, evil, 'пакет.zip', { consent: async () => true });
  expect([...r.tables].sort()).toEqual(['assessment_results', 'schools']);
  expect(r.ignored).toHaveLength(2);
  expect(r.ignored[0]).toMatch(/«evil» — не таблица модели данных/);
  expect(await tableNames()).toEqual(['assessment_results', 'schools']);
});

test('a report reading the indicator table carries every loaded canonical table', () => {
  const loaded = [
    { name: 'schools', rowCount: 3 },
    { name: 'assessment_results', rowCount: 10 },
    { name: 'staff', rowCount: 0 },
    { name: 'indicators', rowCount: 50 },
    { name: 'my_upload', rowCount: 5 },
  ];
  expect(tablesForNotebook('```sql id=a name=b\nSELECT * FROM indicators WHERE id = $id\n```', loaded)).toEqual(['schools', 'assessment_results']);
  expect(tablesForNotebook('```sql id=a name=b\nSELECT * FROM schools\n```', loaded)).toEqual(['schools']);
});
