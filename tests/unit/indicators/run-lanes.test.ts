/**
 * Indicators side by side (src/indicators/lanes.ts): natively on small data a run computes the
 * `sideBySide` definitions on a second connection of the same database while the others go on, in
 * order, on the first; then the second lane shares the rest. The rows come back in the run's order,
 * the run's caches are computed once for both lanes, the shared stages are seen by both
 * connections, a failure on the second connection is its indicator's error row, and a fatal one
 * stops the run and leaves nothing behind. Latches between the definitions fix the order in which
 * they overlap, so every test is deterministic.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import type { Connector } from '../../../src/db/connector';
import { runIndicators } from '../../../src/indicators/run';
import { makeRow } from '../../../src/indicators/sql';
import { SMALL_DATA_ROWS, taskSpecTable } from '../../../src/indicators/stage';
import { DEFAULT_PARAMS, type IndicatorContext, type IndicatorDef } from '../../../src/indicators/types';
import { flagGroupsOf, lowYearCriteria } from '../../../src/indicators/analysis/low';
import { objectivityOf } from '../../../src/indicators/analysis/objectivity';

/** Task rows of one work: two tasks specified, a third only observed (three tasks in the stage). */
const SETUP = `
  CREATE TABLE assessment_results (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, school_id VARCHAR,
    student_id VARCHAR, primary_score DOUBLE, retake BOOLEAN);
  INSERT INTO assessment_results VALUES (2024, 'ВПР', 'Математика', 5, 'A', 'a1', 4, false), (2024, 'ВПР', 'Математика', 5, 'B', 'b1', 4, false);
  CREATE TABLE tasks (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, task VARCHAR, max_score DOUBLE,
    part VARCHAR, section VARCHAR, metasubject BOOLEAN);
  INSERT INTO tasks VALUES (2024, 'ВПР', 'Математика', 5, '1', 2, '1', 'S1', true), (2024, 'ВПР', 'Математика', 5, '2', 1, '2', 'S1', false);
  CREATE TABLE task_scores (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, school_id VARCHAR,
    student_id VARCHAR, task VARCHAR, score DOUBLE);
  INSERT INTO task_scores SELECT 2024, 'ВПР', 'Математика', 5, s, p, t, v FROM (VALUES
    ('A', 'a1', '1', 2), ('A', 'a1', '2', 1), ('B', 'b1', '1', 0), ('B', 'b1', '3', 4)) v(s, p, t, v);`;

/** A promise resolved from outside; `wait` gives up after a while (without lanes the other side never comes). */
function latch() {
  let open = (): void => undefined;
  const opened = new Promise<void>((ok) => (open = ok));
  const wait = () => Promise.race([opened, new Promise<void>((ok) => setTimeout(ok, 1500))]);
  return { open, wait };
}

const def = (id: string, compute: (ctx: IndicatorContext) => Promise<number>, extra: Partial<IndicatorDef> = {}): IndicatorDef => ({
  id,
  direction: 'GIA',
  title: id,
  reads: {},
  compute: async (ctx) => [makeRow(id, { year: 2024, value: await compute(ctx) })],
  ...extra,
});

const count = async (ctx: IndicatorContext, sql: string) => Number((await ctx.conn.query({ type: 'rows', sql }))[0]!.n);
const leftovers = (conn: Connector) =>
  conn.query({ type: 'rows', sql: `SELECT table_name AS t FROM information_schema.tables WHERE table_name LIKE 'indicators__%' ORDER BY 1` });

describe('indicators side by side on a second connection', () => {
  let conn: NodeConnector;
  /** Connections each definition ran on: 'first' (the run's) or 'second'. */
  let ranOn: Record<string, string>;
  let forks: { closed: boolean }[];
  /** The connector the run was given. */
  let first: Connector;
  const where = (ctx: IndicatorContext, id: string) => (ranOn[id] = ctx.conn === first ? 'first' : 'second');

  beforeEach(async () => {
    conn = await NodeConnector.open();
    await conn.query({ type: 'exec', sql: SETUP });
    ranOn = {};
    forks = [];
    first = conn;
    // Record whether each second connection is closed at the end of the run.
    const fork = conn.fork.bind(conn);
    conn.fork = async () => {
      const second = await fork();
      const state = { closed: false };
      forks.push(state);
      const close = second.close.bind(second);
      second.close = async () => {
        state.closed = true;
        await close();
      };
      return second;
    };
  });
  afterEach(() => conn.close());

  test('the side definition runs on the second connection; a definition waiting for it does not hold up the others; rows in the run order', async () => {
    const sideMayGo = latch();
    const stageBuilt = latch();
    const progress: string[] = [];
    const defs = [
      // Builds the task stage on the first connection; the side definition reads it on the second.
      def('PREP-19', async (ctx) => {
        where(ctx, 'PREP-19');
        const n = await count(ctx, `SELECT count(*) AS n FROM ${await taskSpecTable(ctx)}`);
        stageBuilt.open();
        return n;
      }),
      def(
        'GIA-07',
        async (ctx) => {
          where(ctx, 'GIA-07');
          await stageBuilt.wait();
          // Started before PREP-10 finished, and only goes on once it has: the two overlap.
          await sideMayGo.wait();
          return count(ctx, `SELECT count(*) AS n FROM ${await taskSpecTable(ctx)}`);
        },
        { sideBySide: true },
      ),
      // Reads the side definition's rows from the run's table: waits for it, the others go on.
      def('GIA-08', async (ctx) => (where(ctx, 'GIA-08'), count(ctx, `SELECT count(*) AS n FROM ${ctx.table} WHERE indicator_id = 'GIA-07' AND value = 3`)), {
        dependsOn: ['GIA-07'],
        rowByRow: true,
      }),
      def('PREP-10', async (ctx) => {
        where(ctx, 'PREP-10');
        sideMayGo.open();
        return 10;
      }),
    ];
    const rows = await runIndicators(conn, { indicators: defs, onProgress: (done, total, id) => progress.push(`${done}/${total} ${id}`) });
    // GIA-08 on either: the lane that is free when GIA-07 ends takes it (the second, if PREP-10 is still running).
    expect(ranOn).toEqual({ 'PREP-19': 'first', 'GIA-07': 'second', 'GIA-08': expect.stringMatching(/^(first|second)$/), 'PREP-10': 'first' });
    // Three tasks in the stage (two specified, one observed), on either connection.
    expect(rows.map((r) => [r.indicator_id, r.value])).toEqual([
      ['PREP-19', 3],
      ['GIA-07', 3],
      ['GIA-08', 1],
      ['PREP-10', 10],
    ]);
    // PREP-10 ran while GIA-08 waited (GIA-07 could not end before it); the two overlap, in either order.
    expect(progress[0]).toBe('1/4 PREP-19');
    expect(progress.slice(1, 3).map((p) => p.slice(4)).sort()).toEqual(['GIA-07', 'PREP-10']);
    expect(progress[3]).toBe('4/4 GIA-08');
    const table = await conn.query({ type: 'rows', sql: 'SELECT indicator_id, value FROM indicators ORDER BY 1' });
    expect(table).toEqual([
      { indicator_id: 'GIA-07', value: 3 },
      { indicator_id: 'GIA-08', value: 1 },
      { indicator_id: 'PREP-10', value: 10 },
      { indicator_id: 'PREP-19', value: 3 },
    ]);
    expect(await leftovers(conn)).toEqual([]);
    expect(forks).toEqual([{ closed: true }]);
  });

  test('a failure on the second connection is its indicator’s error row; the run goes on', async () => {
    const defs = [
      def('GIA-07', async (ctx) => (where(ctx, 'GIA-07'), await ctx.conn.query({ type: 'rows', sql: 'SELECT * FROM no_such_table' }), 0), { sideBySide: true }),
      def('GIA-08', async (ctx) => (where(ctx, 'GIA-08'), count(ctx, `SELECT count(*) AS n FROM ${ctx.table} WHERE indicator_id = 'GIA-07' AND dimension = 'error'`)), {
        dependsOn: ['GIA-07'],
        rowByRow: true,
      }),
    ];
    const rows = await runIndicators(conn, { indicators: defs });
    // The second lane, free once GIA-07 has failed, takes GIA-08 at once.
    expect(ranOn).toEqual({ 'GIA-07': 'second', 'GIA-08': 'second' });
    expect(rows.map((r) => [r.indicator_id, r.dimension, r.value])).toEqual([
      ['GIA-07', 'error', null],
      ['GIA-08', null, 1],
    ]);
    expect(rows[0]!.dimension_value).toMatch(/no_such_table/);
    expect(forks).toEqual([{ closed: true }]);
  });

  test('a fatal error on the second connection stops the run: nothing saved, no stage or staging table left, the other side starts nothing more', async () => {
    await runIndicators(conn, { indicators: [def('PREP-01', async () => 7)] });
    const firstDone = latch();
    const started: string[] = [];
    const defs = [
      def('PREP-19', async (ctx) => {
        started.push('PREP-19');
        const n = await count(ctx, `SELECT count(*) AS n FROM ${await taskSpecTable(ctx)}`);
        firstDone.open();
        return n;
      }),
      def(
        'GIA-07',
        async () => {
          await firstDone.wait();
          throw new Error('Out of Memory Error: failed to allocate data of size 1.0 GiB');
        },
        { sideBySide: true },
      ),
      // Waits for GIA-07, which fails: never starts.
      def('GIA-08', async () => (started.push('GIA-08'), 1), { dependsOn: ['GIA-07'] }),
    ];
    const run = runIndicators(conn, { indicators: defs });
    await expect(run).rejects.toMatchObject({ name: 'UserError' });
    await expect(run).rejects.toThrow(/^Показатели не рассчитаны \(остановлено на GIA-07\)/);
    expect(started).toEqual(['PREP-19']);
    expect(await conn.query({ type: 'rows', sql: 'SELECT indicator_id, value FROM indicators' })).toEqual([{ indicator_id: 'PREP-01', value: 7 }]);
    expect(await leftovers(conn)).toEqual([]);
    expect(forks).toEqual([{ closed: true }]);
  });

  test('a reader that sums over the rows (not rowByRow, as MGR-08) and what it reads stay in place: each waits for every definition before it, the later ones wait for it', async () => {
    const events: string[] = [];
    const logged = (id: string, value: number, before?: () => Promise<void>) => async (ctx: IndicatorContext) => {
      events.push(`start ${id}`);
      where(ctx, id);
      await before?.();
      events.push(`end ${id}`);
      return value;
    };
    const defs = [
      def('PREP-01', logged('PREP-01', 1)),
      // Slow beside the others; the reader does not depend on it, yet must not start before it ends.
      def('GIA-07', logged('GIA-07', 2, () => new Promise((ok) => setTimeout(ok, 300))), { sideBySide: true }),
      def('MGR-08', async (ctx) => (await logged('MGR-08', 0)(ctx), count(ctx, `SELECT count(*) AS n FROM ${ctx.table}`)), { dependsOn: ['PREP-01'] }),
      def('PRE-01', logged('PRE-01', 4)),
    ];
    const rows = await runIndicators(conn, { indicators: defs });
    // The reader and the rest on either lane (the second is free once GIA-07 ends): the order below is what matters.
    expect(ranOn).toMatchObject({ 'PREP-01': 'first', 'GIA-07': 'second' });
    const at = (e: string) => events.indexOf(e);
    // PREP-01, read by the reader, lies in place too: the side definition after it starts once it is done.
    expect(at('start GIA-07')).toBeGreaterThan(at('end PREP-01'));
    expect(at('start MGR-08')).toBeGreaterThan(at('end GIA-07'));
    expect(at('start PRE-01')).toBeGreaterThan(at('end MGR-08'));
    expect(events).toHaveLength(8);
    // The reader saw exactly the rows written before it in the run's order: PREP-01's and GIA-07's.
    expect(rows.map((r) => [r.indicator_id, r.value])).toEqual([
      ['PREP-01', 1],
      ['GIA-07', 2],
      ['MGR-08', 2],
      ['PRE-01', 4],
    ]);
  });

  test('once its side definitions are done, the second lane takes the next definition that may start: it runs beside a long one on the first', async () => {
    const helperStarted = latch();
    let overlapped = false;
    const defs = [
      def('GIA-07', async (ctx) => (where(ctx, 'GIA-07'), 1), { sideBySide: true }),
      // Long on the first lane: ends only once LOW-01 has started elsewhere (or after the latch gives up).
      def('PREP-19', async (ctx) => {
        where(ctx, 'PREP-19');
        await helperStarted.wait();
        overlapped = ranOn['LOW-01'] !== undefined;
        return 2;
      }),
      def('LOW-01', async (ctx) => (where(ctx, 'LOW-01'), helperStarted.open(), 3)),
    ];
    const rows = await runIndicators(conn, { indicators: defs });
    expect(ranOn).toEqual({ 'GIA-07': 'second', 'PREP-19': 'first', 'LOW-01': 'second' });
    expect(overlapped).toBe(true);
    expect(rows.map((r) => [r.indicator_id, r.value])).toEqual([
      ['GIA-07', 1],
      ['PREP-19', 2],
      ['LOW-01', 3],
    ]);
  });

  test('a run computes the LOW criteria and groups and the objectivity analysis once, whichever lane asks first', async () => {
    await conn.query({ type: 'exec', sql: 'CREATE TABLE schools (year INTEGER, school_id VARCHAR, shnor BOOLEAN)' });
    let secondQueries = 0;
    const counted = Object.create(conn) as Connector;
    counted.query = (q) => (secondQueries++, conn.query(q));
    const tables = await conn.listTables();
    const lane0: IndicatorContext = { conn, params: DEFAULT_PARAMS, tables, stage: new Map(), sharedStages: true };
    // The second lane's context, as run.ts makes it: the same run, another connection.
    const lane1: IndicatorContext = { ...lane0, conn: counted };
    const criteria = await lowYearCriteria(lane0);
    const groups = await flagGroupsOf(lane0);
    const objectivity = await objectivityOf(lane0);
    expect(await lowYearCriteria(lane1)).toBe(criteria);
    expect(await flagGroupsOf(lane1)).toBe(groups);
    expect(await objectivityOf(lane1)).toBe(objectivity);
    expect(secondQueries).toBe(0);
    // Another run (its own stages) computes them again.
    await objectivityOf({ ...lane1, stage: new Map() });
    expect(secondQueries).toBeGreaterThan(0);
  });

  const sideAndNext = (order: string[]) => [
    def('GIA-07', async (ctx) => (where(ctx, 'GIA-07'), order.push('GIA-07'), 1), { sideBySide: true }),
    def('PREP-01', async (ctx) => (where(ctx, 'PREP-01'), order.push('PREP-01'), 2)),
  ];

  test('without a second connection (the tab) every definition runs on the run’s connection, in order', async () => {
    const order: string[] = [];
    first = Object.create(conn) as Connector;
    first.fork = undefined;
    await runIndicators(first, { indicators: sideAndNext(order) });
    expect(ranOn).toEqual({ 'GIA-07': 'first', 'PREP-01': 'first' });
    expect(order).toEqual(['GIA-07', 'PREP-01']);
    expect(forks).toEqual([]);
  });

  test('on large data (an input of SMALL_DATA_ROWS rows) too: the statements have the threads already', async () => {
    await conn.query({ type: 'exec', sql: `CREATE TABLE staff AS SELECT range AS x FROM range(${SMALL_DATA_ROWS})` });
    const order: string[] = [];
    await runIndicators(conn, { indicators: sideAndNext(order) });
    expect(ranOn).toEqual({ 'GIA-07': 'first', 'PREP-01': 'first' });
    expect(order).toEqual(['GIA-07', 'PREP-01']);
    expect(forks).toEqual([]);
  });
});
