/**
 * The CSV text that carries JavaScript-computed rows into the indicator table: exact fields (NULL
 * as \N, text quoted, non-finite numbers as NULL), and turns for the page while a chunk is built
 * (in the tab the runner shares the page's main thread).
 */
import { describe, expect, test } from 'vitest';
import { csvText } from '../../../src/indicators/run';
import { makeRow } from '../../../src/indicators/sql';
import { SLICE_MS, breathe } from '../../../src/indicators/yield';

describe('csvText', () => {
  test('writes every contract column in order, NULL as \\N, text quoted, non-finite numbers as NULL', async () => {
    const rows = [
      makeRow('GIA-01', { year: 2024, procedure: 'ОГЭ', subject: 'Математика', grade: 9, school_id: '001', dimension: 'rank', dimension_value: 'a "b"', numerator: 1, denominator: 2, value: 0.5 }),
      makeRow('LOW-02', { year: 2023, dimension: '', value: Number.NaN }),
    ];
    expect(await csvText(rows)).toBe(
      '"GIA-01",2024,"ОГЭ","Математика",9,"001","rank","a ""b""",1,2,0.5\n' + '"LOW-02",2023,\\N,\\N,\\N,\\N,"",\\N,\\N,\\N,\\N\n',
    );
  });

  test('a long chunk gives the event loop a turn before it is done', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => makeRow('OBJ-01', { year: 2024, school_id: String(i), dimension: 'flag', value: i % 2 }));
    await breathe();
    let ran = false;
    setImmediate(() => (ran = true));
    const start = performance.now();
    while (performance.now() - start < SLICE_MS + 1) {
      // the indicator's own synchronous work just before its rows are written
    }
    const pending = csvText(rows);
    // Building the text itself must have yielded: the task queued before it has run by the time it resolves.
    const text = await pending;
    expect(ran).toBe(true);
    expect(text.split('\n')).toHaveLength(601);
  });
});
