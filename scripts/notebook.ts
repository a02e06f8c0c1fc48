/**
 * Headless notebook run on native DuckDB:
 *   npm run notebook -- <file.md> --data <folder> [--param k=v …] --out <folder> [--trust] [--report html|docx]
 * Loads every `<table>.csv|.parquet` of --data, runs all cells with the same runtime as the
 * browser and writes each cell's result: tables as CSV + Parquet, charts as Vega-Lite JSON
 * + SVG, Markdown as .md, other values as JSON, plus results.json with every cell's status.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { quoteIdent, quoteLiteral } from '../src/db/connector';
import { NodeConnector } from '../src/db/node-connector';
import { chartToSvg } from '../src/notebook/chart';
import { loadSchoolNames, setSchoolNames } from '../src/format';
import { parseNotebook } from '../src/notebook/format';
import { loadDataFile, snapshot } from '../src/notebook/headless';
import { hasTable, idsOfDirection, materialiseIndicators } from '../src/indicators/materialise';
import { INDICATORS_TABLE } from '../src/indicators/sql';
import { coerceParam, NotebookRuntime } from '../src/notebook/runtime';
import { REPORT_FORMATS, writeNotebookReport, type ReportFormat } from '../src/export/node/report';

export interface HeadlessOptions {
  file: string;
  data?: string;
  out: string;
  params?: Record<string, string>;
  /** Also write the notebook's report (cells not marked report=false, code hidden) as `<out>/report.html|docx`. */
  report?: ReportFormat[];
}

export async function runHeadless(opts: HeadlessOptions) {
  const text = readFileSync(opts.file, 'utf8');
  const nb = parseNotebook(text);
  const conn = await NodeConnector.open();
  try {
    if (opts.data) {
      for (const f of readdirSync(opts.data).sort()) {
        if (/\.(csv|parquet)$/i.test(f)) await loadDataFile(conn, f, readFileSync(join(opts.data, f)));
      }
    }
    // Tables, charts and reports show school names (src/format), read once from the loaded `schools`.
    setSchoolNames(await loadSchoolNames(conn));
    // Template notebooks (front matter `indicators: true`) read the indicator table: computed here when the data has none.
    if (opts.data && nb.frontMatter.indicators === true && !(await hasTable(conn, INDICATORS_TABLE))) {
      const dir = opts.data;
      const files = readdirSync(dir)
        .filter((f) => /\.(csv|parquet|json)$/i.test(f))
        .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
      const scratch = await NodeConnector.open();
      try {
        await materialiseIndicators(conn, scratch, files, { ids: idsOfDirection(nb.frontMatter.direction) });
      } finally {
        await scratch.close();
      }
    }
    // Headless runs are started by the user on a file they chose: TS cells are trusted.
    const rt = new NotebookRuntime(conn, nb, { trusted: true });
    for (const [k, v] of Object.entries(opts.params ?? {})) {
      const unit = rt.unitByName(k);
      if (!unit?.def) throw new Error(`В блокноте нет параметра «${k}»`);
      rt.paramValues.set(unit.def.name, coerceParam(unit.def, v));
    }
    await rt.runAll();

    mkdirSync(opts.out, { recursive: true });
    const summary: { id: string; name?: string; kind: string; status: string; error?: string; files: string[]; rowCount?: number }[] = [];
    for (const id of rt.order) {
      const unit = rt.units.get(id)!;
      const state = rt.states.get(id)!;
      const base = (unit.name ?? id).replace(/[^\p{L}\p{N}_-]/gu, '_');
      const files: string[] = [];
      const r = state.result;
      const entry = { id, name: unit.name, kind: unit.kind, status: state.status, error: state.error, files, rowCount: undefined as number | undefined };
      if (state.status === 'done' && r) {
        if (r.kind === 'table') {
          let source = r.table;
          if (!source) {
            source = '__notebook_out';
            await conn.insertArrow(source, tableToIPC(r.arrow, 'stream'));
          }
          for (const [ext, fmt] of [['csv', "FORMAT csv, HEADER true"], ['parquet', 'FORMAT parquet']] as const) {
            const path = resolve(opts.out, `${base}.${ext}`);
            await conn.query({ type: 'exec', sql: `COPY (SELECT * FROM ${quoteIdent(source)}) TO ${quoteLiteral(path)} (${fmt})` });
            files.push(`${base}.${ext}`);
          }
          entry.rowCount = r.rowCount;
        } else if (r.kind === 'chart') {
          writeFileSync(join(opts.out, `${base}.vl.json`), JSON.stringify(r.spec, null, 2));
          writeFileSync(join(opts.out, `${base}.svg`), await chartToSvg(r.spec));
          files.push(`${base}.vl.json`, `${base}.svg`);
        } else if (r.kind === 'md') {
          writeFileSync(join(opts.out, `${base}.md`), r.text);
          files.push(`${base}.md`);
        } else if (r.kind === 'html') {
          writeFileSync(join(opts.out, `${base}.html`), r.html);
          files.push(`${base}.html`);
        } else if (r.kind === 'value' || r.kind === 'param') {
          writeFileSync(join(opts.out, `${base}.json`), JSON.stringify(r.value, null, 2));
          files.push(`${base}.json`);
        }
      }
      summary.push(entry);
    }
    const snap = snapshot(rt);
    writeFileSync(join(opts.out, 'results.json'), JSON.stringify({ notebook: basename(opts.file), title: nb.frontMatter.title ?? null, cells: summary }, null, 2));
    writeFileSync(join(opts.out, 'snapshot.json'), JSON.stringify(snap, null, 2));
    for (const format of opts.report ?? []) await writeNotebookReport(rt, format, join(opts.out, `report.${format}`));
    return { runtime: rt, summary, snapshot: snap };
  } finally {
    await conn.close();
  }
}

function parseArgs(argv: string[]): HeadlessOptions {
  const params: Record<string, string> = {};
  let file: string | undefined;
  let data: string | undefined;
  let out: string | undefined;
  const report: ReportFormat[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') data = argv[++i];
    else if (a === '--out') out = argv[++i];
    else if (a === '--param') {
      const kv = argv[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq < 1) throw new Error(`Параметр должен быть в виде имя=значение: «${kv}»`);
      params[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === '--report') {
      const f = argv[++i] as ReportFormat;
      if (!REPORT_FORMATS.includes(f)) throw new Error(`--report: ожидается html или docx, получено «${f ?? ''}»`);
      report.push(f);
    } else if (a === '--trust') {
      /* accepted for symmetry with the browser; headless runs always trust */
    } else if (!a.startsWith('--') && !file) file = a;
    else throw new Error(`Неизвестный аргумент «${a}»`);
  }
  if (!file || !out) throw new Error('Использование: npm run notebook -- <файл.md> --data <папка> [--param k=v …] --out <папка> [--report html|docx]');
  return { file, data, out, params, report };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  try {
    const { summary } = await runHeadless(parseArgs(process.argv.slice(2)));
    let failed = 0;
    for (const c of summary) {
      const mark = c.status === 'done' ? 'OK ' : 'ERR';
      if (c.status !== 'done') failed++;
      console.log(`${mark} ${c.name ?? c.id} (${c.kind})${c.rowCount !== undefined ? `: ${c.rowCount} строк` : ''}${c.error ? ` — ${c.error}` : ''}`);
    }
    process.exitCode = failed ? 1 : 0;
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
  }
}
