import { expect, test } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { fromArrow, inferKind } from '../../../src/export/table';
import { TABLE } from './fixtures';

test('column kinds are inferred from values and share-like names', () => {
  const kinds = Object.fromEntries(TABLE().columns.map((c) => [c.name, c.kind]));
  expect(kinds).toEqual({
    school_id: 'text',
    name: 'text',
    participants: 'integer',
    mean_score: 'number',
    low_share: 'percent',
    exam_date: 'date',
    shnor: 'boolean',
  });
  expect(inferKind('growth_rate', [1.5, 0.2])).toBe('number');
  expect(inferKind('x', [], 'DOUBLE')).toBe('number');
});

test('an Arrow query result becomes plain rows', () => {
  const t = tableFromArrays({ n: Int32Array.from([1, 2]), v: Float64Array.from([0.5, 1.25]), s: ['а', 'б'] });
  const e = fromArrow(t);
  expect(e.rows).toEqual([{ n: 1, v: 0.5, s: 'а' }, { n: 2, v: 1.25, s: 'б' }]);
  expect(e.columns.map((c) => c.kind)).toEqual(['integer', 'number', 'text']);
});

test('interval bounds beside a share column are exported as percents', async () => {
  const { fromRows } = await import('../../../src/export/table');
  const t = fromRows([{ grp: 'город', rate: 0.698, ci_low: 0.64, ci_high: 0.75 }, { grp: 'село', rate: 0.652, ci_low: 0.6, ci_high: 0.7 }]);
  expect(t.columns.map((c) => c.kind)).toEqual(['text', 'percent', 'percent', 'percent']);
  const m = fromRows([{ mean: 17.25, ci_low: 15.5, ci_high: 19.25 }]);
  expect(m.columns.map((c) => c.kind)).toEqual(['number', 'number', 'number']);
});
