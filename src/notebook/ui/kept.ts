/**
 * The notebook view's side of kept outputs (../kept-outputs.ts). On opening, each cell's kept
 * output is looked up and shown, marked, until the runtime reports anything for that cell (its
 * fresh result, an error, a cancel) or an input changes. Every output the engine produces is kept
 * once the runtime is idle, with the fingerprints of the tables it read, asked of the engine then.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
import { db } from '../../db/browser-connector';
import { cellInputs, keepOutput, keptOutput, storedTablesForKept, type CellInputs } from '../kept-outputs';
import type { CellResult } from '../model';
import type { NotebookRuntime } from '../runtime';

export { whenDataReady } from '../startup';

/** Lower-case name → name of every table (not view) of schema main in the engine. */
async function engineTables(): Promise<Map<string, string>> {
  const rows = await db.query({
    type: 'rows',
    sql: "SELECT DISTINCT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog <> 'temp' AND table_type = 'BASE TABLE'",
  });
  return new Map(rows.map((r) => [String(r.name).toLowerCase(), String(r.name)]));
}

/** A cell waiting for its first run since the notebook was opened (idle until start-up lets cells run). */
const WAITING: string[] = ['idle', 'queued', 'running'];

export class OutputKeeper {
  private shown = new Map<string, [Accessor<CellResult | undefined>, Setter<CellResult | undefined>]>();
  /** Inputs of each running cell as they were when it started (an edit during the run must not be kept with it). */
  private started = new Map<string, string>();
  private pending = new Map<string, { inputs: CellInputs; result: CellResult }>();
  private flushing: Promise<void> | null = null;
  /** Whether the kept outputs have been looked up (shown or not): tests wait for it instead of a time. */
  readonly checked = createSignal(false);

  constructor(
    private rt: NotebookRuntime,
    private notebook: string,
  ) {}

  private signal(id: string) {
    let s = this.shown.get(id);
    if (!s) this.shown.set(id, (s = createSignal<CellResult | undefined>(undefined)));
    return s;
  }

  /** The kept output shown for cell `id` (reactive), if any. */
  kept = (id: string): CellResult | undefined => this.signal(id)[0]();

  /** An input changed (an edit, a parameter): what was kept no longer describes these cells. */
  dropAll(): void {
    for (const [, set] of this.shown.values()) set(undefined);
  }

  /** Shows the kept outputs that still match, while start-up's view of the stored tables is published. */
  async show(): Promise<void> {
    try {
      await this.lookUp();
    } finally {
      this.checked[1](true);
    }
  }

  private async lookUp(): Promise<void> {
    const stored = await storedTablesForKept().catch(() => null);
    if (!stored || !this.rt.trusted) return;
    for (const id of this.rt.order) {
      const unit = this.rt.units.get(id);
      if (!unit?.cell || unit.kind === 'param') continue;
      const inputs = cellInputs(this.rt, id);
      const result = inputs && (await keptOutput(this.notebook, id, inputs, stored).catch(() => null));
      const s = this.rt.states.get(id);
      // Too late: the engine has already answered for this cell (or an input changed meanwhile).
      if (!result || !s || s.result || s.error || !WAITING.includes(s.status)) continue;
      if (cellInputs(this.rt, id)?.text !== inputs.text) continue;
      this.signal(id)[1](result);
    }
  }

  /** Every state change of a cell, from the runtime's onChange. */
  observe(id: string): void {
    const s = this.rt.states.get(id);
    const unit = this.rt.units.get(id);
    if (!s || !unit) return;
    if (!WAITING.includes(s.status)) this.signal(id)[1](undefined);
    if (s.status === 'running') {
      const inputs = this.rt.trusted && unit.kind !== 'param' ? cellInputs(this.rt, id) : null;
      if (inputs) this.started.set(id, inputs.text);
      else this.started.delete(id);
      return;
    }
    if (s.status !== 'done' || !s.result) return;
    const startedWith = this.started.get(id);
    this.started.delete(id);
    const inputs = startedWith ? cellInputs(this.rt, id) : null;
    if (!inputs || inputs.text !== startedWith) return;
    this.pending.set(id, { inputs, result: s.result });
    this.flushing ??= this.flush().catch((e) => console.warn('Результаты ячеек не сохранены в браузере', e));
  }

  private async flush(): Promise<void> {
    do await this.rt.idle();
    while (this.rt.busy);
    const batch = [...this.pending];
    this.pending.clear();
    this.flushing = null;
    const tables = await engineTables();
    const read = [...new Set(batch.flatMap(([, p]) => p.inputs.candidates))].filter((t) => tables.has(t));
    const real = await db.fingerprints(read.map((t) => tables.get(t)!));
    for (const [id, p] of batch) {
      const own = new Map(p.inputs.candidates.filter((t) => tables.has(t)).map((t) => [t, real.get(tables.get(t)!)!]));
      await keepOutput(this.notebook, id, p.inputs, own, p.result);
    }
  }
}
