/**
 * npm run import -- <files or folders…> --out <folder> [--set year=2021 --set procedure=ВПР …]
 *                   [--salt <salt>] [--mappings <file.json>] [--reference <thresholds.csv> | --no-reference]
 *                   [--contract-only] [--chunk-cells <N>]
 *
 * Reads users' files (the same reader and mapping code as the app, on native DuckDB), writes the
 * canonical tables as `<table>.csv` and `<table>.parquet`, the issues as `import_issues.csv`, and
 * prints the validation summary.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeConnector } from '../src/db/node-connector';
import { quoteIdent, quoteLiteral } from '../src/db/connector';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../src/model/contract';
import { ISSUES_TABLE } from '../src/ingest/apply';
import { issuesCsv, planImport, runImport, summaryText } from '../src/ingest/import';
import { MemoryMappingStore, type Mapping, type MappingStore } from '../src/ingest/mapping';
import { DEMO_SALT } from '../src/ingest/pseudonym';
import { readFile } from '../src/ingest/read';
import { closeParseThread, nodeWorkerParser } from '../src/ingest/read/node-worker';
import type { RawSource } from '../src/ingest/read/types';
import type { ImportReport } from '../src/ingest/apply';
import { describeError } from '../src/errors';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const DEFAULT_REFERENCE = join(ROOT, 'datasets/reference/thresholds.csv');

export interface CliArgs {
  files: string[];
  out: string;
  set: Record<string, string>;
  salt: string;
  mappings: string | null;
  reference: string | null;
  contractOnly: boolean;
  /** Task cells per chunk of the unpivot (default 2 000 000): lower it where memory is short. */
  chunkCells?: number;
}

export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = { files: [], out: '', set: {}, salt: process.env.MSOKO_SALT ?? DEMO_SALT, mappings: null, reference: DEFAULT_REFERENCE, contractOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    const next = () => {
      const n = argv[++i];
      if (n === undefined) throw new Error(`после ${v} нужно значение`);
      return n;
    };
    if (v === '--out') a.out = next();
    else if (v === '--set') {
      const [k, ...rest] = next().split('=');
      if (!k || !rest.length) throw new Error(`--set ожидает ключ=значение, например --set year=2021`);
      if (!['year', 'procedure', 'subject', 'grade'].includes(k)) throw new Error(`--set: неизвестный ключ «${k}» (допустимы year, procedure, subject, grade)`);
      a.set[k] = rest.join('=');
    } else if (v === '--salt') a.salt = next();
    else if (v === '--mappings') a.mappings = next();
    else if (v === '--reference') a.reference = next();
    else if (v === '--no-reference') a.reference = null;
    else if (v === '--contract-only') a.contractOnly = true;
    else if (v === '--chunk-cells') a.chunkCells = Number(next());
    else if (v.startsWith('--')) throw new Error(`неизвестный параметр ${v}`);
    else a.files.push(v);
  }
  if (!a.files.length || !a.out) throw new Error('использование: npm run import -- <файлы или папки…> --out <папка> [--set year=2021] [--salt соль]');
  return a;
}

const DATA = /\.(csv|tsv|txt|xlsx|xlsm|xls|ods|parquet|json)$/i;
const SKIP = /(^|\/)(EXPECTED_VALIDATION\.json|\.[^/]*)$/i;
export function expandFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) out.push(...expandFiles(readdirSync(p).sort().map((f) => join(p, f))));
    else if (DATA.test(p) && !SKIP.test(p)) out.push(p);
  }
  return out;
}

class FileMappingStore implements MappingStore {
  private readonly map: Record<string, Mapping>;
  constructor(private readonly path: string) {
    this.map = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Mapping>) : {};
  }
  async get(signature: string) {
    return this.map[signature] ?? null;
  }
  async put(m: Mapping) {
    this.map[m.signature] = m;
    writeFileSync(this.path, JSON.stringify(this.map, null, 2));
  }
}

/** A file the run could not read, with the Russian reason (which names it). */
export interface FailedFile {
  path: string;
  message: string;
}

export async function runCli(argv: string[], log: (s: string) => void = console.log): Promise<ImportReport[]> {
  return (await runCliDetailed(argv, log)).reports;
}

/** Reads every file it can: a bad file is listed in `failed` and the summary, the others import. */
export async function runCliDetailed(argv: string[], log: (s: string) => void = console.log): Promise<{ reports: ImportReport[]; failed: FailedFile[] }> {
  const args = parseArgs(argv);
  const conn = await NodeConnector.open();
  try {
    const raws: RawSource[] = [];
    const failed: FailedFile[] = [];
    for (const f of expandFiles(args.files)) {
      try {
        // Workbooks and text are parsed in a worker thread: a hostile file cannot hang or crash the run.
        const sources = await readFile(conn, basename(f), new Uint8Array(readFileSync(f)), { typed: false, parser: nodeWorkerParser });
        raws.push(...sources);
      } catch (e) {
        failed.push({ path: f, message: describeError(e, { file: basename(f) }) });
      }
    }
    if (!raws.length) {
      log(failedText(failed));
      log('Ничего не загружено: ни один файл не удалось прочитать.');
      return { reports: [], failed };
    }
    const store = args.mappings ? new FileMappingStore(args.mappings) : new MemoryMappingStore();
    const plans = await planImport(raws, store);
    for (const p of plans) {
      const c = p.mapping.constants;
      const consts = ['year', 'procedure', 'subject', 'grade'].map((k) => `${k}=${args.set[k] ?? c[k as keyof typeof c] ?? '?'}`).join(' ');
      log(`${p.raw.file}${p.raw.sheet ? ` [${p.raw.sheet}]` : ''}: ${p.mapping.layout} → ${p.mapping.target} (${consts}; уверенность ${p.mapping.confidence}${p.reused ? ', сохранённое сопоставление' : ''})`);
    }
    const reports = await runImport(conn, plans, {
      salt: args.salt,
      set: args.set,
      store,
      referenceThresholds: args.reference ? readFileSync(args.reference, 'utf8') : undefined,
      chunkCells: args.chunkCells,
    });
    mkdirSync(args.out, { recursive: true });
    for (const t of CANONICAL_TABLE_NAMES) {
      const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(t)}` });
      if (!Number(c?.n)) continue;
      const described = await conn.query({ type: 'rows', sql: `DESCRIBE ${quoteIdent(t)}` });
      const contract = new Set(CONTRACT[t].columns.map((x) => x.name));
      const cols = described.filter((d) => !args.contractOnly || contract.has(String(d.column_name)));
      const sel = `SELECT ${cols.map((d) => quoteIdent(String(d.column_name))).join(', ')} FROM ${quoteIdent(t)}`;
      // CSV as people write it: whole numbers without «.0».
      const csvCols = cols.map((d) => {
        const c = quoteIdent(String(d.column_name));
        return d.column_type === 'DOUBLE' ? `CASE WHEN ${c} = round(${c}) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END AS ${c}` : c;
      });
      await conn.query({ type: 'exec', sql: `COPY (SELECT ${csvCols.join(', ')} FROM ${quoteIdent(t)}) TO ${quoteLiteral(join(args.out, `${t}.csv`))} (HEADER, DELIMITER ',')` });
      await conn.query({ type: 'exec', sql: `COPY (${sel}) TO ${quoteLiteral(join(args.out, `${t}.parquet`))} (FORMAT PARQUET)` });
    }
    writeFileSync(join(args.out, `${ISSUES_TABLE}.csv`), await issuesCsv(conn));
    log('');
    log(summaryText(reports));
    if (failed.length) log(failedText(failed));
    return { reports, failed };
  } finally {
    await closeParseThread();
    await conn.close();
  }
}

function failedText(failed: FailedFile[]): string {
  return [`Не загружено файлов: ${failed.length}`, ...failed.map((f) => `  ${f.path}: ${f.message}`)].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCliDetailed(process.argv.slice(2)).then(
    // Non-zero only when nothing was imported: a folder with one bad file still delivers the rest.
    ({ reports }) => (process.exitCode = reports.length ? 0 : 1),
    (e) => {
      console.error(describeError(e));
      process.exitCode = 1;
    },
  );
}
