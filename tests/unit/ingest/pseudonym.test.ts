import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { quoteLiteral } from '../../../src/db/connector';
import { participantPseudonym, participantPseudonymSql, pseudonymize } from '../../../src/ingest/pseudonym';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
});
afterAll(async () => conn.close());

const PARTS = ['фамилия', 'имя', 'отчество', 'серия', 'номер'];

test('five pupils with only a СНИЛС (as the document key) get five pseudonyms; empty identifying parts give none', async () => {
  const snils = ['123-456-789 01', '987-654-321 00', '111-222-333 44', '555-666-777 88', '000-111-222 33'];
  const rows = [...snils.map((s) => ['', '', '', '', s]), ['', '  ', '', '', ''], [null, null, null, null, null]];
  const js = await Promise.all(rows.map((r) => participantPseudonym('k', r, ['220001'])));
  expect(new Set(js.slice(0, 5)).size).toBe(5);
  expect(js.slice(5)).toEqual([null, null]);
  // Same as the plain hash where there is something to hash.
  expect(js[0]).toBe(await pseudonymize('k', ['', '', '', '', snils[0], '220001']));

  const values = rows.map((r, i) => `(${i}, ${r.map((v) => (v === null ? 'NULL' : quoteLiteral(v))).join(', ')})`).join(', ');
  const expr = participantPseudonymSql('k', PARTS.map((p) => `"${p}"`), [quoteLiteral('220001')]);
  const sql = await conn.query({ type: 'rows', sql: `SELECT ${expr} AS p FROM (VALUES ${values}) t(i, ${PARTS.map((p) => `"${p}"`).join(', ')}) ORDER BY i` });
  expect(sql.map((r) => r.p)).toEqual(js);
});
