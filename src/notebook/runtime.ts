/**
 * Dataflow runtime: one unit per cell (front-matter parameters are units too). Each unit
 * declares a name and reads other units by name; the graph comes from each kind's analysis
 * (`kinds/`). Editing a cell or changing a parameter re-runs exactly the units downstream of
 * it. The same code runs in the browser (DuckDB-WASM connector, TS cells in a sandboxed frame)
 * and in Node (native DuckDB). A runtime that is not trusted runs nothing at all.
 */
import type { Param } from '../db/connector';
import { CancelledError, NAME_RE, paramUnitId, unitSignature, type CancellableConnector, type RuntimeOptions } from './runtime-options';
import { analyzeParam, bindSql, parseParamCell } from './analyze';
import { interpolate } from './interpolate';
import { cellErrorMessage, notRunMessage } from '../errors';
import { downstreamOf, topoSort } from './graph';
import { cellKind, type EvalContext, type Evaluated, type Unit } from './kinds';
import type { CellRuntimeState, NotebookData, ParamValue } from './model';
import { ensureProvidedTables } from './providers';
import * as status from './status';
import { firstValue, isTableValue } from './table-value';
import { API_NAMES, inProcessRunner, rowsWithArrow, type TsRunner } from './ts-api';
import { makeTsSql } from './ts-sql';

export { API_NAMES };
export type { Unit };
export { coerceParam, resolveParamValue } from './kinds';
export { sqlErrorRu } from '../errors';
export { paramUnitId, type CancellableConnector, type RuntimeOptions } from './runtime-options';

export class NotebookRuntime {
  notebook: NotebookData;
  units = new Map<string, Unit>();
  order: string[] = [];
  states = new Map<string, CellRuntimeState>();
  /** Values chosen by the user (runtime state; never written to the notebook file). */
  paramValues = new Map<string, ParamValue>();
  trusted: boolean;
  private tsRunner: TsRunner | null;
  private tsRefusal: string;
  private values = new Map<string, unknown>();
  private byName = new Map<string, string>();
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();
  private onChange?: (id: string) => void;
  private abortRunning?: () => void;
  private restarting?: Promise<void>;

  constructor(
    readonly conn: CancellableConnector,
    notebook: NotebookData,
    opts: RuntimeOptions = {},
  ) {
    this.notebook = notebook;
    this.trusted = opts.trusted ?? true;
    this.onChange = opts.onChange;
    this.tsRunner = opts.ts === 'refuse' ? null : opts.ts === 'in-process' || opts.ts === undefined ? inProcessRunner : opts.ts;
    this.tsRefusal = opts.tsRefusal ?? 'Ячейки TypeScript здесь не выполняются';
    this.rebuild(new Set());
  }

  // ---- graph -------------------------------------------------------------------------

  /** Replaces the notebook (after an edit); changed cells and everything downstream become stale. */
  setNotebook(nb: NotebookData): string[] {
    const before = new Map<string, string>();
    for (const u of this.units.values()) before.set(u.id, unitSignature(u));
    this.notebook = nb;
    const changed = new Set<string>();
    this.rebuild(changed, before);
    return [...changed];
  }

  updateCell(id: string, source: string): string[] {
    const cells = this.notebook.cells.map((c) => (c.id === id ? { ...c, source } : c));
    return this.setNotebook({ ...this.notebook, cells });
  }

  private buildUnits(): Unit[] {
    const units: Unit[] = [];
    for (const def of this.notebook.frontMatter.parameters ?? []) {
      units.push({ id: paramUnitId(def.name), kind: 'param', name: def.name, def, analysis: analyzeParam(def), deps: [] });
    }
    for (const cell of this.notebook.cells) {
      const analysis = cellKind(cell.kind).analyse(cell);
      const unit: Unit = { id: cell.id, kind: cell.kind, name: cell.name, cell, analysis, deps: [] };
      if (cell.kind === 'param') {
        try {
          unit.def = parseParamCell(cell);
          unit.name = unit.def.name;
        } catch {
          /* analysis carries the error */
        }
      }
      if (analysis.error) unit.error = analysis.error;
      units.push(unit);
    }
    return units;
  }

  private indexNames(units: Unit[]) {
    this.byName.clear();
    for (const u of units) {
      if (!u.name) continue;
      const key = u.name.toLowerCase();
      if (!NAME_RE.test(u.name)) u.error ??= `Недопустимое имя «${u.name}»: используйте буквы, цифры и _`;
      else if ((API_NAMES as readonly string[]).includes(u.name)) u.error ??= `Имя «${u.name}» зарезервировано`;
      else if (this.byName.has(key)) u.error ??= `Имя «${u.name}» уже занято другой ячейкой`;
      else this.byName.set(key, u.id);
    }
  }

  private linkDeps(u: Unit) {
    const deps = new Set<string>();
    const add = (id: string) => {
      if (id === u.id) u.error ??= `Ячейка «${u.name}» ссылается сама на себя: выберите другое имя`;
      else deps.add(id);
    };
    for (const t of u.analysis.tables) {
      const id = this.byName.get(t);
      if (id && this.unitsPending(id)?.kind !== 'param') add(id);
    }
    for (const p of u.analysis.params) {
      const id = this.resolve(p, true);
      if (id) add(id);
      else u.error ??= `Неизвестный параметр $${p}`;
    }
    for (const n of u.analysis.names) {
      const id = this.resolve(n, false);
      if (id) add(id);
      else if (u.analysis.strict) u.error ??= `Неизвестное имя «${n}»`;
    }
    u.deps = [...deps];
  }

  private rebuild(changed: Set<string>, before?: Map<string, string>) {
    const units = this.buildUnits();
    this.indexNames(units);
    this.pending = new Map(units.map((u) => [u.id, u]));
    for (const u of units) this.linkDeps(u);
    this.order = topoSort(units);
    this.units = new Map(units.map((u) => [u.id, u]));
    this.pending = undefined;

    if (before) {
      for (const u of units) if (before.get(u.id) !== unitSignature(u)) changed.add(u.id);
      for (const id of this.downstream([...changed])) changed.add(id);
    }
    for (const id of [...this.states.keys()]) if (!this.units.has(id)) this.states.delete(id);
    for (const u of units) {
      let s = { ...(this.states.get(u.id) ?? status.initialState()), deps: u.deps };
      if (u.error) s = status.broken(s, u.error);
      else if (changed.has(u.id) || s.status === 'error') s = status.invalidated(s);
      this.states.set(u.id, s);
    }
    this.emitAll();
  }

  /** Name → unit id. SQL names are case-insensitive; `$range_from` / `$range_to` read a year range. */
  private resolve(ref: string, caseInsensitive: boolean): string | undefined {
    const direct = this.byName.get(ref.toLowerCase());
    if (direct) {
      const u = this.unitsPending(direct);
      if (caseInsensitive || u?.name === ref) return direct;
    }
    const m = /^(.*)_(from|to)$/.exec(ref);
    if (m) {
      const base = this.byName.get(m[1].toLowerCase());
      if (base && this.unitsPending(base)?.def?.type === 'year-range') return base;
    }
    return undefined;
  }

  // During rebuild `this.units` is not yet replaced; look in both.
  private pending?: Map<string, Unit> = undefined;
  private unitsPending(id: string): Unit | undefined {
    return this.pending?.get(id) ?? this.units.get(id);
  }

  /** Every unit that reads (directly or not) one of `ids`, excluding `ids` themselves. */
  downstream(ids: string[]): string[] {
    return downstreamOf(this.units.values(), this.order, ids);
  }

  private upstream(id: string, acc = new Set<string>()): Set<string> {
    for (const d of this.units.get(id)?.deps ?? []) {
      if (!acc.has(d)) {
        acc.add(d);
        this.upstream(d, acc);
      }
    }
    return acc;
  }

  // ---- running -----------------------------------------------------------------------

  runAll(): Promise<void> {
    return this.schedule(new Set(this.order));
  }

  /** Runs the given units, everything downstream of them, and any upstream unit not yet done. */
  run(ids: string[]): Promise<void> {
    const targets = new Set<string>(ids);
    for (const id of this.downstream(ids)) targets.add(id);
    for (const id of [...targets]) {
      for (const up of this.upstream(id)) if (this.states.get(up)?.status !== 'done') targets.add(up);
    }
    return this.schedule(targets);
  }

  setParam(name: string, value: ParamValue): Promise<void> {
    this.paramValues.set(name, value);
    const id = this.byName.get(name.toLowerCase());
    return id ? this.run([id]) : Promise.resolve();
  }

  /** The user trusts the notebook: from now on its cells run; runs everything once. */
  trust(): Promise<void> {
    this.trusted = true;
    return this.runAll();
  }

  /** Aborts the running query and everything queued; the notebook and finished results stay. */
  async cancel(): Promise<void> {
    this.generation++;
    this.abortRunning?.();
    this.tsRunner?.cancel?.();
    for (const [id, s] of this.states) if (status.isBusy(s)) this.set(id, status.cancelled(s));
    if (typeof this.conn.cancel === 'function') {
      // Runs scheduled meanwhile wait until the engine is back with its tables restored.
      this.restarting = this.conn.cancel().then(
        () => this.engineRestarted(),
        () => this.engineRestarted(),
      );
      await this.restarting;
    }
  }

  /**
   * The engine was restarted (cancel or crash): tables materialised by cells are gone, so
   * SQL and TS cells must run again before anything reads them; shown results are kept.
   */
  engineRestarted(): void {
    for (const [id, s] of this.states) {
      const u = this.units.get(id);
      if (u && cellKind(u.kind).materialises && s.status === 'done') this.set(id, status.lostTables(s));
    }
  }

  get busy(): boolean {
    return [...this.states.values()].some(status.isBusy);
  }

  /** Resolves once everything scheduled so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  private schedule(targets: Set<string>): Promise<void> {
    // Untrusted: nothing runs — not SQL, not TS, not Markdown interpolation, not option queries.
    if (!this.trusted) return this.chain;
    const gen = this.generation;
    const ids = this.order.filter((id) => targets.has(id));
    for (const id of ids) if (!this.units.get(id)!.error) this.set(id, status.queued(this.states.get(id)!));
    this.chain = this.chain.then(() => this.execute(ids, gen));
    return this.chain;
  }

  private async execute(ids: string[], gen: number) {
    await this.restarting;
    for (const id of ids) {
      const unit = this.units.get(id);
      const s = this.states.get(id);
      if (!unit || !s) continue;
      if (gen !== this.generation) {
        if (s.status === 'queued') this.set(id, status.cancelled(s));
        continue;
      }
      if (unit.error) {
        this.set(id, status.broken(s, unit.error));
        continue;
      }
      const bad = unit.deps.find((d) => this.states.get(d)?.status !== 'done');
      if (bad) {
        this.set(id, status.failed(s, notRunMessage(this.units.get(bad)?.name ?? bad)));
        continue;
      }
      if (!this.trusted) {
        this.set(id, status.held(s));
        continue;
      }
      await this.runUnit(unit, gen);
    }
  }

  private async runUnit(unit: Unit, gen: number) {
    const id = unit.id;
    this.set(id, status.running(this.states.get(id)!));
    const t0 = Date.now();
    try {
      // A cancelled unit must not hold up the queue even if its query or code keeps going.
      const aborted = new Promise<never>((_ok, fail) => (this.abortRunning = () => fail(new CancelledError())));
      const { result, value } = await Promise.race([this.evaluate(unit, gen), aborted]);
      if (gen !== this.generation) throw new CancelledError();
      this.values.set(id, value);
      this.set(id, status.done(this.states.get(id)!, result, Date.now() - t0));
    } catch (e) {
      const s = this.states.get(id)!;
      if (e instanceof CancelledError || gen !== this.generation) this.set(id, { ...status.cancelled(s), durationMs: Date.now() - t0 });
      else this.set(id, status.failed(s, cellErrorMessage(unit.kind, e), Date.now() - t0));
    }
    this.abortRunning = undefined;
  }

  // ---- evaluation --------------------------------------------------------------------

  private async evaluate(unit: Unit, gen: number): Promise<Evaluated> {
    // Tables computed on demand (`indicators`) are brought up to date first, unless a cell has that name.
    await ensureProvidedTables(this.conn, unit.analysis.tables.filter((t) => !this.byName.has(t)), this.notebook);
    return cellKind(unit.kind).evaluate(unit, this.context(gen));
  }

  private context(gen: number): EvalContext {
    const check = () => {
      if (gen !== this.generation) throw new CancelledError();
    };
    return {
      conn: this.conn,
      bind: (sql) => this.bind(sql),
      valueByName: (name) => this.values.get(this.resolve(name, false) ?? ''),
      depNames: (unit) => unit.deps.map((d) => this.units.get(d)!.name!).filter(Boolean),
      namedValues: () => {
        const values: Record<string, unknown> = {};
        const params: Record<string, unknown> = {};
        for (const u of this.units.values()) {
          if (!u.name || !this.values.has(u.id)) continue;
          const v = this.values.get(u.id);
          values[u.name] = isTableValue(v) ? v.arrow : v;
          if (u.kind === 'param') params[u.name] = v;
        }
        return { values, params };
      },
      chosen: (name) => this.paramValues.get(name),
      interpolate: (source) => this.interpolate(source),
      tsRunner: this.tsRunner,
      tsRefusal: this.tsRefusal,
      tsSql: makeTsSql(this.conn, this.paramLookup, check),
      check,
    };
  }

  /** `$name` lookup for SQL binding: parameters, year-range ends and scalar cell values. */
  private paramLookup = (name: string): { values: unknown[] } | undefined => {
    const id = this.resolve(name, true);
    if (!id) return undefined;
    const v = this.values.get(id);
    const m = /_(from|to)$/.exec(name);
    if (Array.isArray(v) && m && this.units.get(id)?.def?.type === 'year-range') return { values: [v[m[1] === 'from' ? 0 : 1]] };
    if (isTableValue(v)) return { values: [firstValue(v)] };
    return { values: [v ?? null] };
  };

  private bind(sql: string) {
    const b = bindSql(sql, this.paramLookup);
    if (b.missing.length) throw new Error(`Неизвестный параметр $${b.missing[0]}`);
    return { sql: b.sql, params: b.params as Param[] };
  }

  /** `${name}`, `${name.column}`, `${name.column|pct}` → escaped, formatted text. */
  interpolate(source: string): string {
    return interpolate(source, (name) => {
      const id = this.resolve(name, false);
      if (!id) throw new Error(`Неизвестное имя «${name}»`);
      return this.values.get(id);
    });
  }

  // ---- reading results ---------------------------------------------------------------

  state(id: string): CellRuntimeState | undefined {
    return this.states.get(id);
  }

  valueOf(name: string): unknown {
    const id = this.byName.get(name.toLowerCase());
    const v = id ? this.values.get(id) : undefined;
    return isTableValue(v) ? rowsWithArrow(v.arrow) : v;
  }

  unitByName(name: string): Unit | undefined {
    const id = this.byName.get(name.toLowerCase());
    return id ? this.units.get(id) : undefined;
  }

  private set(id: string, s: CellRuntimeState) {
    this.states.set(id, s);
    this.onChange?.(id);
  }

  private emitAll() {
    for (const id of this.states.keys()) this.onChange?.(id);
  }
}
