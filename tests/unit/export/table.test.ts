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
