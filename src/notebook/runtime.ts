/**
 * Dataflow runtime: one unit per cell (front-matter parameters are units too). Each unit
 * declares a name and reads other units by name; the graph comes from `analyze.ts`.
 * Editing a cell or changing a parameter re-runs exactly the units downstream of it.
 * The same code runs in the browser (DuckDB-WASM connector) and in Node (native DuckDB).
 */
import { tableFromJSON, tableToIPC, type Table } from 'apache-arrow';
import * as ss from 'simple-statistics';
import jStatModule from 'jstat';
import { quoteIdent, type Connector, type Param, type Row } from '../db/connector';
import { analyzeCell, analyzeParam, bindSql, parseParamCell, transpileTs, type CellAnalysis } from './analyze';
import type { CellData, CellResult, CellRuntimeState, NotebookData, ParamDef, ParamValue } from './model';
import { arrowRows, formatValue } from './values';
import { ensureProvidedTables } from './providers';

/** A connector that can abort the running query (the browser one restarts its worker). */
export type CancellableConnector = Connector & { cancel?: () => Promise<void> };

export const API_NAMES = ['sql', 'stats', 'md', 'html', 'vl', 'tables', 'cells', 'params'] as const;
const NAME_RE = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export interface Unit {
  id: string;
  kind: CellData['kind'];
  name?: string;
  cell?: CellData;
  def?: ParamDef;
  analysis: CellAnalysis;
  /** Ids of the units this one reads. */
  deps: string[];
  /** Static error (cycle, unknown name, syntax): the unit cannot run. */
  error?: string;
}

export interface RuntimeOptions {
  /** Whether TypeScript cells may run (a notebook opened from a file must be trusted first). */
  trusted?: boolean;
  onChange?: (id: string) => void;
}

export const paramUnitId = (name: string) => `param:${name}`;

class CancelledError extends Error {}

export class NotebookRuntime {
  notebook: NotebookData;
  units = new Map<string, Unit>();
  order: string[] = [];
  states = new Map<string, CellRuntimeState>();
  /** Values chosen by the user (runtime state; never written to the notebook file). */
  paramValues = new Map<string, ParamValue>();
  trusted: boolean;
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

  private rebuild(changed: Set<string>, before?: Map<string, string>) {
    const units: Unit[] = [];
    for (const def of this.notebook.frontMatter.parameters ?? []) {
      units.push({ id: paramUnitId(def.name), kind: 'param', name: def.name, def, analysis: analyzeParam(def), deps: [] });
    }
    for (const cell of this.notebook.cells) {
      const analysis = analyzeCell(cell);
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

    this.byName.clear();
    for (const u of units) {
      if (!u.name) continue;
      const key = u.name.toLowerCase();
      if (!NAME_RE.test(u.name)) u.error ??= `Недопустимое имя «${u.name}»: используйте буквы, цифры и _`;
      else if ((API_NAMES as readonly string[]).includes(u.name)) u.error ??= `Имя «${u.name}» зарезервировано`;
      else if (this.byName.has(key)) u.error ??= `Имя «${u.name}» уже занято другой ячейкой`;
      else this.byName.set(key, u.id);
    }

    this.pending = new Map(units.map((u) => [u.id, u]));
    for (const u of units) {
      const deps = new Set<string>();
      const add = (id: string) => {
        if (id === u.id) u.error ??= `Ячейка «${u.name}» ссылается сама на себя: выберите другое имя`;
        else deps.add(id);
      };
      for (const t of u.analysis.tables) {
        const id = this.byName.get(t);
        if (id && this.pending.get(id)?.kind !== 'param') add(id);
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

    this.order = this.topoSort(units);
    this.units = new Map(units.map((u) => [u.id, u]));
    this.pending = undefined;

    if (before) {
      for (const u of units) if (before.get(u.id) !== unitSignature(u)) changed.add(u.id);
      for (const id of this.downstream([...changed])) changed.add(id);
    }
    for (const id of [...this.states.keys()]) if (!this.units.has(id)) this.states.delete(id);
    for (const u of units) {
      const s = this.states.get(u.id) ?? { status: 'idle', runCount: 0, deps: [] };
      s.deps = u.deps;
      if (u.error) {
        s.status = 'error';
        s.error = u.error;
      } else if (changed.has(u.id) || s.status === 'error') {
        s.status = s.runCount > 0 || s.status === 'error' ? 'stale' : 'idle';
        s.error = undefined;
      }
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

  private topoSort(units: Unit[]): string[] {
    const byId = new Map(units.map((u) => [u.id, u]));
    const state = new Map<string, 0 | 1 | 2>();
    const order: string[] = [];
    const visit = (u: Unit, path: Unit[]) => {
      const s = state.get(u.id);
      if (s === 2) return;
      if (s === 1) {
        const cycle = path.slice(path.indexOf(u));
        const names = [...cycle, u].map((c) => c.name ?? c.id).join(' → ');
        for (const c of cycle) c.error = `Циклическая зависимость: ${names}`;
        return;
      }
      state.set(u.id, 1);
      for (const d of u.deps) {
        const du = byId.get(d);
        if (du) visit(du, [...path, u]);
      }
      state.set(u.id, 2);
      order.push(u.id);
    };
    for (const u of units) visit(u, []);
    return order;
  }

  /** Every unit that reads (directly or not) one of `ids`, excluding `ids` themselves. */
  downstream(ids: string[]): string[] {
    const out = new Set<string>();
    const seeds = new Set(ids);
    let grew = true;
    while (grew) {
      grew = false;
      for (const u of this.units.values()) {
        if (out.has(u.id) || seeds.has(u.id)) continue;
        if (u.deps.some((d) => seeds.has(d) || out.has(d))) {
          out.add(u.id);
          grew = true;
        }
      }
    }
    return this.order.filter((id) => out.has(id));
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

  /** Aborts the running query and everything queued; the notebook and finished results stay. */
  async cancel(): Promise<void> {
    this.generation++;
    this.abortRunning?.();
    const hadCancel = typeof this.conn.cancel === 'function';
    for (const [id, s] of this.states) {
      if (s.status === 'running' || s.status === 'queued') {
        s.status = 'cancelled';
        s.error = 'Выполнение отменено';
        this.emit(id);
      }
    }
    if (hadCancel) {
      // Runs scheduled meanwhile wait until the engine is back with its tables restored.
      this.restarting = this.conn.cancel!().then(
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
      if (u && (u.kind === 'sql' || u.kind === 'ts') && s.status === 'done') {
        s.status = 'stale';
        this.emit(id);
      }
    }
  }

  get busy(): boolean {
    return [...this.states.values()].some((s) => s.status === 'running' || s.status === 'queued');
  }

  /** Resolves once everything scheduled so far has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  private schedule(targets: Set<string>): Promise<void> {
    const gen = this.generation;
    const ids = this.order.filter((id) => targets.has(id));
    for (const id of ids) {
      const s = this.states.get(id)!;
      if (!this.units.get(id)!.error) {
        s.status = 'queued';
        this.emit(id);
      }
    }
    this.chain = this.chain.then(() => this.execute(ids, gen));
    return this.chain;
  }

  private async execute(ids: string[], gen: number) {
    await this.restarting;
    for (const id of ids) {
      const unit = this.units.get(id);
      const state = this.states.get(id);
      if (!unit || !state) continue;
      if (gen !== this.generation) {
        if (state.status === 'queued') state.status = 'cancelled';
        this.emit(id);
        continue;
      }
      if (unit.error) {
        state.status = 'error';
        state.error = unit.error;
        this.emit(id);
        continue;
      }
      const bad = unit.deps.find((d) => this.states.get(d)?.status !== 'done');
      if (bad) {
        const b = this.units.get(bad);
        state.status = 'error';
        state.error = `Не выполнена: ячейка «${b?.name ?? bad}» не выполнена или завершилась с ошибкой`;
        state.result = undefined;
        this.emit(id);
        continue;
      }
      if (unit.kind === 'ts' && !this.trusted) {
        state.status = 'error';
        state.error = 'Ячейка TypeScript не выполнена: блокнот ещё не отмечен как доверенный';
        this.emit(id);
        continue;
      }
      state.status = 'running';
      state.error = undefined;
      state.runCount++;
      this.emit(id);
      const t0 = Date.now();
      try {
        // A cancelled unit must not hold up the queue even if its query or code keeps going.
        const aborted = new Promise<never>((_ok, fail) => (this.abortRunning = () => fail(new CancelledError())));
        const { result, value } = await Promise.race([this.evaluate(unit, gen), aborted]);
        if (gen !== this.generation) throw new CancelledError();
        state.result = result;
        this.values.set(id, value);
        state.status = 'done';
      } catch (e) {
        if (e instanceof CancelledError || gen !== this.generation) {
          state.status = 'cancelled';
          state.error = 'Выполнение отменено';
        } else {
          state.status = 'error';
          state.error = errorMessage(unit, e);
          state.result = undefined;
        }
      }
      this.abortRunning = undefined;
      state.durationMs = Date.now() - t0;
      this.emit(id);
    }
  }

  // ---- evaluation --------------------------------------------------------------------

  private async evaluate(unit: Unit, gen: number): Promise<{ result: CellResult; value: unknown }> {
    // Tables computed on demand (`indicators`) are brought up to date first, unless a cell has that name.
    await ensureProvidedTables(this.conn, unit.analysis.tables.filter((t) => !this.byName.has(t)), this.notebook);
    switch (unit.kind) {
      case 'param':
        return this.evalParam(unit);
      case 'sql':
        return this.evalSql(unit);
      case 'ts':
        return this.evalTs(unit, gen);
      case 'md': {
        const text = this.interpolate(unit.cell!.source);
        return { result: { kind: 'md', text }, value: text };
      }
      case 'vega-lite':
        return this.evalChart(unit);
    }
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

  private async evalParam(unit: Unit): Promise<{ result: CellResult; value: unknown }> {
    const def = unit.def!;
    let options = def.options;
    if (def.options_sql) {
      const q = this.bind(def.options_sql);
      const rows = await this.conn.query({ type: 'rows', sql: q.sql, params: q.params });
      options = rows.map((r) => Object.values(r)[0] as string | number).filter((v) => v !== null && v !== undefined);
    }
    const value = resolveParamValue(def, this.paramValues.get(def.name), options);
    return { result: { kind: 'param', value, options }, value };
  }

  private async evalSql(unit: Unit): Promise<{ result: CellResult; value: unknown }> {
    const body = unit.cell!.source.replace(/;\s*$/, '').trim();
    if (!body) return { result: { kind: 'none' }, value: undefined };
    const q = this.bind(body);
    let arrow: Table;
    if (unit.name) {
      await this.guardName(unit.name);
      // Temporary tables: queryable by name, but never overwrite or clutter the user's data.
      await this.conn.query({ type: 'rows', sql: `CREATE OR REPLACE TEMP TABLE ${quoteIdent(unit.name)} AS ${q.sql}`, params: q.params });
      arrow = await this.conn.query({ type: 'arrow', sql: `SELECT * FROM ${quoteIdent(unit.name)}` });
    } else if (isQuery(body)) {
      arrow = await this.conn.query({ type: 'arrow', sql: q.sql, params: q.params });
    } else {
      await this.conn.query({ type: 'rows', sql: q.sql, params: q.params });
      return { result: { kind: 'none' }, value: undefined };
    }
    const result = tableResult(arrow, unit.name ?? null);
    return { result, value: result };
  }

  /**
   * A TS table as a temporary table. Small tables go through bound VALUES (nothing staged in
   * the user's schema); large ones through an Arrow staging table.
   */
  private async materialiseRows(name: string, arrow: Table) {
    const cols = arrow.schema.fields.map((f) => f.name);
    const target = quoteIdent(name);
    if (arrow.numRows > 0 && arrow.numRows * cols.length <= 20_000) {
      const rows = arrowRows(arrow);
      const params: Param[] = [];
      const tuples = rows.map((r) => `(${cols.map((c) => (params.push(r[c] ?? null), `$${params.length}`)).join(', ')})`);
      const sql = `CREATE OR REPLACE TEMP TABLE ${target} AS SELECT * FROM (VALUES ${tuples.join(', ')}) AS t(${cols.map(quoteIdent).join(', ')})`;
      await this.conn.query({ type: 'rows', sql, params });
      return;
    }
    const stage = '__notebook_stage';
    await this.conn.insertArrow(stage, tableToIPC(arrow, 'stream'));
    await this.conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE ${target} AS SELECT * FROM main.${quoteIdent(stage)}; DROP TABLE main.${quoteIdent(stage)}` });
  }

  /** A cell's table would hide a data table of the same name from every query: refuse. */
  private async guardName(name: string) {
    const rows = await this.conn.query({
      type: 'rows',
      sql: "SELECT 1 AS x FROM information_schema.tables WHERE table_catalog <> 'temp' AND table_schema = 'main' AND lower(table_name) = lower($1)",
      params: [name],
    });
    if (rows.length) throw new Error(`Имя ячейки «${name}» совпадает с таблицей данных: выберите другое имя`);
  }

  private async evalChart(unit: Unit): Promise<{ result: CellResult; value: unknown }> {
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(unit.cell!.source) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`Спецификация графика — не корректный JSON: ${(e as Error).message}`);
    }
    const data = unit.cell!.attrs.data;
    if (data) {
      const id = this.resolve(data, false)!;
      spec = { ...spec, data: { values: toRows(this.values.get(id)) } };
    }
    return { result: { kind: 'chart', spec, data }, value: spec };
  }

  private async evalTs(unit: Unit, gen: number): Promise<{ result: CellResult; value: unknown }> {
    const code = transpileTs(unit.cell!.source);
    const names = unit.deps.map((d) => this.units.get(d)!.name!).filter(Boolean);
    const args = names.map((n) => this.tsValue(this.byName.get(n.toLowerCase())!));
    const tables: Record<string, Table> = {};
    for (const u of this.units.values()) {
      const v = this.values.get(u.id);
      if (u.name && isTableValue(v)) tables[u.name] = v.arrow;
    }
    const check = () => {
      if (gen !== this.generation) throw new CancelledError();
    };
    const api = tsApi(this.conn, this.paramLookup, check);
    const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...a: string[]) => (...v: unknown[]) => Promise<unknown>;
    const fn = new AsyncFunction(...API_NAMES, ...names, `"use strict";\n${code}`);
    const params = Object.fromEntries([...this.units.values()].filter((u) => u.kind === 'param' && u.name).map((u) => [u.name!, this.values.get(u.id)]));
    const cellsByName = new Proxy({} as Record<string, unknown>, {
      get: (_t, key) => (typeof key === 'string' && this.byName.has(key.toLowerCase()) ? this.tsValue(this.byName.get(key.toLowerCase())!) : undefined),
    });
    const returned = await fn(api.sql, api.stats, api.md, api.html, api.vl, tables, cellsByName, params, ...args);
    check();
    const result = await this.tsResult(unit, returned);
    return { result, value: result.kind === 'table' ? result : returned };
  }

  private tsValue(id: string): unknown {
    const v = this.values.get(id);
    if (isTableValue(v)) {
      const rows = v.rows();
      Object.defineProperty(rows, 'arrow', { value: v.arrow, enumerable: false });
      return rows;
    }
    return v;
  }

  private async tsResult(unit: Unit, v: unknown): Promise<CellResult> {
    if (v === undefined) return { kind: 'none' };
    if (v && typeof v === 'object' && '__nb' in v) {
      const t = v as { __nb: string; text?: string; html?: string; spec?: Record<string, unknown> };
      if (t.__nb === 'md') return { kind: 'md', text: t.text! };
      if (t.__nb === 'html') return { kind: 'html', html: t.html! };
      if (t.__nb === 'chart') return { kind: 'chart', spec: { ...t.spec! } };
    }
    if (typeof Node !== 'undefined' && v instanceof Node) return { kind: 'dom', node: v };
    let arrow: Table | undefined;
    if (isArrowTable(v)) arrow = v;
    else if (Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === 'object' && !Array.isArray(r))) arrow = tableFromJSON(v as Record<string, unknown>[]);
    if (arrow) {
      if (unit.name) {
        // TS tables are queryable from SQL too; best effort, the result itself does not depend on it.
        await this.guardName(unit.name);
        try {
          await this.materialiseRows(unit.name, arrow);
        } catch {
          /* the table stays available to TS and Markdown cells */
        }
      }
      return tableResult(arrow, unit.name ?? null);
    }
    if (v && typeof v === 'object' && ('mark' in v || 'layer' in v || 'vconcat' in v || 'hconcat' in v || 'facet' in v)) {
      return { kind: 'chart', spec: { ...(v as Record<string, unknown>) } };
    }
    return { kind: 'value', value: v };
  }

  /** `${name}`, `${name.column}`, `${name.column|pct}` → formatted text. */
  interpolate(source: string): string {
    return source.replace(/\$\{\s*([\p{L}_][\p{L}\p{N}_]*)((?:\.[\p{L}\p{N}_]+)*)\s*(?:\|\s*([\w:]+)\s*)?\}/gu, (_m, name: string, path: string, fmt?: string) => {
      const id = this.resolve(name, false);
      if (!id) throw new Error(`Неизвестное имя «${name}»`);
      let v: unknown = this.values.get(id);
      if (isTableValue(v)) {
        const row = v.rows()[0];
        const keys = path.split('.').filter(Boolean);
        if (!keys.length) return formatValue(Object.values(row ?? {})[0] ?? null, fmt);
        v = row;
      }
      for (const key of path.split('.').filter(Boolean)) {
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      }
      return formatValue(v, fmt);
    });
  }

  // ---- reading results ---------------------------------------------------------------

  state(id: string): CellRuntimeState | undefined {
    return this.states.get(id);
  }

  valueOf(name: string): unknown {
    const id = this.byName.get(name.toLowerCase());
    return id ? this.tsValue(id) : undefined;
  }

  unitByName(name: string): Unit | undefined {
    const id = this.byName.get(name.toLowerCase());
    return id ? this.units.get(id) : undefined;
  }

  private emit(id: string) {
    this.onChange?.(id);
  }

  private emitAll() {
    for (const id of this.states.keys()) this.emit(id);
  }
}

// ---- helpers ---------------------------------------------------------------------------

type TableResult = Extract<CellResult, { kind: 'table' }>;

function tableResult(arrow: Table, table: string | null): TableResult {
  let rows: Row[] | undefined;
  return {
    kind: 'table',
    table,
    columns: arrow.schema.fields.map((f) => f.name),
    rowCount: arrow.numRows,
    arrow,
    rows: () => (rows ??= arrowRows(arrow)),
  };
}

function isTableValue(v: unknown): v is TableResult {
  return !!v && typeof v === 'object' && (v as TableResult).kind === 'table' && 'arrow' in v;
}

function isArrowTable(v: unknown): v is Table {
  return !!v && typeof v === 'object' && 'schema' in v && 'numRows' in v && typeof (v as Table).getChild === 'function';
}

function firstValue(t: TableResult): unknown {
  const row = t.rows()[0];
  return row ? Object.values(row)[0] : null;
}

function toRows(v: unknown): unknown[] {
  if (isTableValue(v)) return v.rows();
  if (isArrowTable(v)) return arrowRows(v);
  if (Array.isArray(v)) return v;
  return [];
}

function isQuery(sql: string): boolean {
  const first = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').split(/[\s(]/)[0].toUpperCase();
  return ['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'PIVOT', 'UNPIVOT', 'SUMMARIZE', 'DESCRIBE', 'SHOW', '('].includes(first) || sql.trim().startsWith('(');
}

function unitSignature(u: Unit): string {
  return JSON.stringify([u.kind, u.name, u.cell?.source, u.cell?.attrs, u.def]);
}

export function resolveParamValue(def: ParamDef, chosen: ParamValue | undefined, options?: (string | number)[]): ParamValue {
  const coerce = (v: ParamValue | undefined): ParamValue | undefined => (v === undefined ? undefined : coerceParam(def, v));
  const c = coerce(chosen);
  const d = coerce(def.default);
  if (def.type === 'year-range') {
    const nums = (options ?? []).map(Number).filter((n) => !isNaN(n));
    const lo = nums.length ? Math.min(...nums) : (def.min ?? 2000);
    const hi = nums.length ? Math.max(...nums) : (def.max ?? 2100);
    const v = (Array.isArray(c) ? c : Array.isArray(d) ? d : [lo, hi]) as [number, number];
    return [Math.max(lo, Math.min(v[0], v[1])), Math.min(hi, Math.max(v[0], v[1]))];
  }
  if (options && options.length) {
    const has = (v: ParamValue | undefined) => v !== undefined && v !== null && options.some((o) => String(o) === String(v));
    const pick = has(c) ? c : has(d) ? d : options[0];
    return options.find((o) => String(o) === String(pick)) ?? null;
  }
  if (c !== undefined) return c;
  if (d !== undefined) return d;
  return def.type === 'checkbox' ? false : def.type === 'number' ? 0 : def.type === 'text' ? '' : null;
}

/** Converts a value (from the UI or `--param k=v`) to the parameter's type. */
export function coerceParam(def: ParamDef, v: ParamValue): ParamValue {
  switch (def.type) {
    case 'number': {
      const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
      return isNaN(n) ? null : n;
    }
    case 'checkbox':
      return typeof v === 'boolean' ? v : ['true', '1', 'да', 'yes'].includes(String(v).toLowerCase());
    case 'year-range': {
      if (Array.isArray(v)) return [Number(v[0]), Number(v[1])];
      const m = /^\s*(\d{4})\s*(?:-|–|\.\.|,)\s*(\d{4})\s*$/.exec(String(v));
      return m ? [Number(m[1]), Number(m[2])] : null;
    }
    case 'select':
      return typeof v === 'number' || v === null ? v : String(v);
    default:
      return v === null ? null : String(v);
  }
}

const jStat = ((jStatModule as unknown as { jStat?: unknown }).jStat ?? jStatModule) as unknown;

/** The API a TypeScript cell sees (documented in docs/notebook.md). */
function tsApi(conn: Connector, lookup: (name: string) => { values: unknown[] } | undefined, check: () => void) {
  // Interpolated values become bound parameters; `$name` in the text reads notebook parameters.
  const build = (strings: TemplateStringsArray, vals: unknown[]) => {
    const placeholders = new Map<string, unknown>();
    let text = strings[0];
    vals.forEach((v, i) => {
      placeholders.set(`__v${i}`, v);
      text += `$__v${i}` + strings[i + 1];
    });
    const b = bindSql(text, (n) => (placeholders.has(n) ? { values: [placeholders.get(n)] } : lookup(n)));
    if (b.missing.length) throw new Error(`Неизвестный параметр $${b.missing[0]}`);
    return { sql: b.sql, params: b.params as Param[] };
  };
  const sql = async (strings: TemplateStringsArray, ...vals: unknown[]): Promise<Row[]> => {
    const q = build(strings, vals);
    const arrow = await conn.query({ type: 'arrow', sql: q.sql, params: q.params });
    check();
    const rows = arrowRows(arrow);
    Object.defineProperty(rows, 'arrow', { value: arrow, enumerable: false });
    return rows;
  };
  sql.arrow = async (strings: TemplateStringsArray, ...vals: unknown[]): Promise<Table> => {
    const q = build(strings, vals);
    const t = await conn.query({ type: 'arrow', sql: q.sql, params: q.params });
    check();
    return t;
  };
  const interp = (strings: TemplateStringsArray, vals: unknown[]) =>
    strings.reduce((acc, s, i) => acc + s + (i < vals.length ? formatInline(vals[i]) : ''), '');
  return {
    sql,
    stats: { ...ss, jStat },
    md: (strings: TemplateStringsArray, ...vals: unknown[]) => ({ __nb: 'md', text: interp(strings, vals) }),
    html: (strings: TemplateStringsArray, ...vals: unknown[]) => ({ __nb: 'html', html: interp(strings, vals) }),
    vl: (spec: Record<string, unknown>, data?: unknown) => ({
      __nb: 'chart',
      spec: data === undefined ? spec : { ...spec, data: { values: toRows(data) } },
    }),
  };
}

function formatInline(v: unknown): string {
  return typeof v === 'number' ? formatValue(v) : v === null || v === undefined ? '—' : String(v);
}

function errorMessage(unit: Unit, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (unit.kind === 'sql' || /Error: /.test(msg)) return sqlErrorRu(msg);
  if (unit.kind === 'ts') return `Ошибка в ячейке TypeScript: ${msg}`;
  return msg;
}

/** DuckDB messages are English; the user sees Russian with the original detail kept. */
export function sqlErrorRu(msg: string): string {
  const first = msg.split('\n')[0];
  let m: RegExpExecArray | null;
  if ((m = /Table with name (\S+) does not exist/.exec(first))) return `Таблица «${m[1]}» не найдена (${first})`;
  if ((m = /Referenced column "?([^"\s]+)"? not found/.exec(first))) return `Столбец «${m[1]}» не найден (${first})`;
  if (/Parser Error/.test(first)) return `Синтаксическая ошибка SQL: ${first.replace(/^Parser Error:\s*/, '')}`;
  if (/Binder Error/.test(first)) return `Ошибка в запросе: ${first.replace(/^Binder Error:\s*/, '')}`;
  if (/Conversion Error/.test(first)) return `Ошибка преобразования типов: ${first.replace(/^Conversion Error:\s*/, '')}`;
  if (/Interrupt|cancel/i.test(first)) return 'Выполнение отменено';
  if (/^[A-Z][a-z]+ Error:/.test(first)) return `Ошибка SQL: ${first}`;
  return first;
}
