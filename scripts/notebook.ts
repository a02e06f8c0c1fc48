/**
 * Headless notebook run on native DuckDB:
 *   npm run notebook -- <file.md> [--data <folder>] [--param k=v …] --out <folder> [--trust] [--report html|docx]
 * Loads every `<table>.csv|.parquet` of --data (the bundled demo municipality without it), runs
 * all cells with the same runtime as the browser and writes each cell's result: tables as CSV +
 * Parquet, charts as Vega-Lite JSON + SVG, Markdown as .md, other values as JSON, plus
 * results.json with every cell's status.
 *
 * A notebook file is someone else's program: once the data are loaded, DuckDB may touch no file
 * but its own scratch folder and --out (and no URL), charts load nothing, and TypeScript cells
 * (which could do anything Node can) run only with --trust.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
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
  /** Run TypeScript cells (code with the full powers of Node): only for notebooks the user trusts. */
  trust?: boolean;
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
/** The demo municipality's canonical tables, used when no --data is given. */
export const DEMO_DATA = join(ROOT, 'datasets/demo/canonical');

/** The templates shipped with the workbench are trusted, as in the browser; any other file needs --trust. */
export function isBundledTemplate(file: string): boolean {
  const rel = relative(join(ROOT, 'notebooks'), resolve(file));
  return !!rel && !rel.startsWith('..') && !isAbsolute(rel);
}

/** From here on DuckDB reaches no file outside its scratch folder and `out`, no URL, and no setting. */
async function lockDown(conn: NodeConnector, out: string) {
  const scratch = dirname(await conn.registerFile('__lock_probe', new Uint8Array()));
  await conn.dropFile('__lock_probe');
  await conn.query({
    type: 'exec',
    sql: `SET allowed_directories = [${quoteLiteral(scratch)}, ${quoteLiteral(resolve(out))}]; SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET lock_configuration = true`,
  });
}

export async function runHeadless(opts: HeadlessOptions) {
  const text = readFileSync(opts.file, 'utf8');
  const nb = parseNotebook(text);
  const conn = await NodeConnector.open();
  const dataDir = opts.data ?? DEMO_DATA;
  try {
    for (const f of readdirSync(dataDir).sort()) {
      if (/\.(csv|parquet)$/i.test(f)) await loadDataFile(conn, f, readFileSync(join(dataDir, f)));
    }
    // Tables, charts and reports show school names (src/format), read once from the loaded `schools`.
    setSchoolNames(await loadSchoolNames(conn));
    // Template notebooks (front matter `indicators: true`) read the indicator table: computed here when the data has none.
    if (nb.frontMatter.indicators === true && !(await hasTable(conn, INDICATORS_TABLE))) {
      const dir = dataDir;
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
    mkdirSync(opts.out, { recursive: true });
    await lockDown(conn, opts.out);
    // SQL runs confined (above); TypeScript cells only when the user vouches for the file.
    const rt = new NotebookRuntime(conn, nb, { trusted: true, ts: opts.trust ?? isBundledTemplate(opts.file) ? 'in-process' : 'refuse', tsRefusal: 'Ячейка TypeScript не выполнена: запустите с --trust, если доверяете этому блокноту' });
    for (const [k, v] of Object.entries(opts.params ?? {})) {
      const unit = rt.unitByName(k);
      if (!unit?.def) throw new Error(`В блокноте нет параметра «${k}»`);
      rt.paramValues.set(unit.def.name, coerceParam(unit.def, v));
    }
    await rt.runAll();

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
  let trust: boolean | undefined;
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
    } else if (a === '--trust') trust = true; else if (!a.startsWith('--') && !file) file = a;
    else throw new Error(`Неизвестный аргумент «${a}»`);
  }
  if (!file || !out) throw new Error('Использование: npm run notebook -- <файл.md> [--data <папка>] [--param k=v …] --out <папка> [--trust] [--report html|docx]');
  return { file, data, out, params, report, trust };
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
