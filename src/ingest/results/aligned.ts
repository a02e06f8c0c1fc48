/**
 * Task scores written between checkpoints in whole row groups. The workspace holds appended rows
 * uncompressed until a CHECKPOINT, so the import compacts every few million task scores; but a
 * checkpoint that leaves `task_scores` with a part-filled row group makes the next one compress
 * far more than the rows appended since (20M synthetic 8-column rows, a checkpoint after each
 * million: 15.3–16.1 s of checkpoint CPU; after each 983 040 = 8 row groups: 9.8–10.6 s; 20 rows
 * past the boundary cost as much as 16 960). So a chunk's insert that reaches the next boundary
 * is cut there: its first cells up to the boundary, the checkpoint, then the rest.
 *
 * Natively only (a connector that can fork): the tab's DuckDB-WASM spends ≈ 0.2 s in all the
 * checkpoints of a 1M-row import (its Node build, the same file), so there is nothing to gain
 * there and the cuts' extra statements would only cost; it compacts every million as before.
 */
import { compact, type Connector } from '../../db/connector';
import { tableCount } from '../tables';
import type { WidePlan } from './wide';

/** DuckDB's row group (rows). */
export const ROW_GROUP = 122_880;
/** Task scores written between checkpoints: eight row groups (983 040). */
export const COMPACT_EVERY = 8 * ROW_GROUP;
/** The same without cuts (the tab). */
export const COMPACT_UNALIGNED = 1_000_000;

/** Whether checkpoints are worth aligning on this connector (native DuckDB: see above); tests force it with a row group of their own. */
export const alignsCheckpoints = (conn: Connector, rowGroup?: number) => rowGroup != null || !!conn.fork;

export class ScoreWriter {
  private total = 0;
  private next = 0;

  private readonly every: number;
  private readonly group: number;
  private readonly aligned: boolean;

  /** `every`, `group`: the tests' small row groups; DuckDB's own otherwise. */
  constructor(
    private readonly conn: Connector,
    every?: number,
    group?: number,
  ) {
    this.aligned = alignsCheckpoints(conn, group);
    this.every = every ?? (this.aligned ? COMPACT_EVERY : COMPACT_UNALIGNED);
    this.group = this.aligned ? (group ?? ROW_GROUP) : 1;
  }

  /** Starts from the rows `task_scores` already has; returns their count. */
  async start(): Promise<number> {
    this.total = await tableCount(this.conn, `SELECT count(*) AS n FROM task_scores`);
    this.next = Math.floor(this.total / this.group) * this.group + this.every;
    return this.total;
  }

  /** Task scores written so far (all of them, with those before `start`). */
  async written(): Promise<number> {
    return (this.total = await tableCount(this.conn, `SELECT count(*) AS n FROM task_scores`));
  }

  /** Any insert (the long form's): compacted once past the next boundary, wherever it ends. */
  async insert(sql: string): Promise<void> {
    await this.conn.query({ type: 'exec', sql });
    await this.written();
    if (this.total < this.next) return;
    await compact(this.conn);
    this.next = Math.floor(this.total / this.group) * this.group + this.every;
  }

  /** `_imp_wide`'s cells of the rows passing `where`, cut at each boundary they reach. */
  async wide(w: WidePlan, where: string): Promise<void> {
    if (!this.aligned) return this.insert(w.insertScores(where));
    const n = await tableCount(this.conn, w.cellCount(where));
    let done = 0;
    let from: string | undefined;
    while (this.total + n - done >= this.next) {
      const k = this.next - this.total;
      const cut = await this.cutAt(w, where, done + k);
      await this.conn.query({ type: 'exec', sql: w.insertScores(where, from ? `${from} AND ${cut.before}` : cut.before) });
      await compact(this.conn);
      this.total = this.next;
      this.next += this.every;
      done += k;
      from = cut.after;
    }
    if (n > done) await this.conn.query({ type: 'exec', sql: w.insertScores(where, from) });
    // Counted, not added up: a wrong count would only cost alignment, never a value.
    await this.written();
  }

  /**
   * Predicates on `_row` and the column position `i` that split the cells at the k-th (1-based,
   * in row then column order): `before` holds the first k, `after` the rest.
   */
  private async cutAt(w: WidePlan, where: string, k: number): Promise<{ before: string; after: string }> {
    const [r] = await this.conn.query({ type: 'rows', sql: w.cutRow(where, k) });
    let need = k - Number(r.before);
    let i = 0;
    while (i < w.columns && need > 0) if (r[`p${i++}`]) need--;
    const row = Number(r._row);
    return { before: `(_row < ${row} OR (_row = ${row} AND i < ${i}))`, after: `(_row > ${row} OR (_row = ${row} AND i >= ${i}))` };
  }
}
