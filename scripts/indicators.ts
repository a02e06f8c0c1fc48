/**
 * `npm run indicators -- --data <folder of canonical files> --out <file.csv|.parquet|.json>`
 * Loads the canonical tables of the folder into native DuckDB, runs every indicator of the
 * catalogue (the same modules as the browser) and writes the indicator table.
 * A table is `<table>.csv|.parquet|.json`, or a folder `<table>/` of Parquet files, plain or hive
 * partitioned (`task_scores/year=2024/part-0.parquet`); Parquet is read where it lies on disk.
 * Options: --ids PREP-01,GIA-07 (only these), --skip GIA-06,… (all but these; reported as skipped),
 * --include-retakes, --params '<json>' (IndicatorParams),
 * --in-place (Parquet tables are views over the files instead of copies in memory: no load time,
 * every query scans the files — for sets larger than memory, e.g. the national size),
 * --memory-limit 6GB (DuckDB's limit; default 30 % of RAM), --temp-dir <dir> (where DuckDB spills
 * beyond it; default a temporary folder removed at the end), --timings <file.json> (per-indicator times).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { NodeConnector } from '../src/db/node-connector';
import { quoteLiteral } from '../src/db/connector';
import { loadCanonicalFiles, loadCanonicalParquetPaths } from '../src/indicators/load';
import { INDICATORS } from '../src/indicators/registry';
import { runIndicators } from '../src/indicators/run';
import { INDICATOR_SELECT_COLUMNS, INDICATORS_TABLE } from '../src/indicators/sql';
import type { IndicatorParams } from '../src/indicators/types';
import { isCanonicalTable } from '../src/model/contract';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);

/** A share of RAM, not DuckDB's default 80 %: the runner shares the computer with its user. */
export const defaultMemoryLimit = () => `${Math.round((totalmem() * 0.3) / 2 ** 20)}MiB`;

/** Parquet tables as lists of files (a file, or every .parquet under `<table>/`), and the other files. */
export function findSources(dir: string): { parquet: Map<string, string[]>; other: string[] } {
  const parquet = new Map<string, string[]>();
  const other: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!isCanonicalTable(name)) continue;
      const files = (readdirSync(path, { recursive: true }) as string[]).filter((f) => /\.parquet$/i.test(f)).sort().map((f) => join(path, f));
      if (files.length) parquet.set(name, files);
      continue;
    }
    const m = /^([a-z_]+)\.(csv|parquet|json)$/i.exec(name);
    if (!m || !isCanonicalTable(m[1])) continue;
    if (m[2].toLowerCase() === 'parquet') parquet.set(m[1], [path]);
    else other.push(path);
  }
  return { parquet, other };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  const data = arg('data');
  const out = arg('out');
  if (!data || !out) {
    console.error('Использование: npm run indicators -- --data <папка с каноническими файлами> --out <файл.csv|.parquet|.json>');
    process.exit(2);
  }
  const format = extname(out).toLowerCase();
  if (!['.csv', '.parquet', '.json'].includes(format)) {
    console.error(`Неизвестный формат выходного файла «${out}»: ожидается .csv, .parquet или .json`);
    process.exit(2);
  }
  const skip = new Set(list(arg('skip')));
  const unknown = [...skip].filter((id) => !INDICATORS.some((d) => d.id === id));
  if (unknown.length) {
    console.error(`Неизвестные показатели в --skip: ${unknown.join(', ')}`);
    process.exit(2);
  }
  const dir = resolve(data);
  const memoryLimit = arg('memory-limit') ?? defaultMemoryLimit();
  const tempDir = arg('temp-dir');
  const inPlace = process.argv.includes('--in-place');
  const conn = await NodeConnector.open(':memory:', { memoryLimit, tempDirectory: tempDir && resolve(tempDir) });
  try {
    // Views over Parquet carry no distinct counts, so DuckDB's choice of the hash join's build side
    // misjudges aggregates: on the national set PREP-19 built its table on 160M joined task rows instead
    // of the ≈500 per-task maxima (8 GB spilled in 8 min). The indicators' SQL puts the big table first,
    // so in place the written order is kept.
    if (inPlace) await conn.query({ type: 'exec', sql: `SET disabled_optimizers = 'build_side_probe_side'` });
    const t0 = performance.now();
    const { parquet, other } = findSources(dir);
    const loaded: string[] = [];
    for (const [table, paths] of parquet) {
      const n = await loadCanonicalParquetPaths(conn, table, paths, { inPlace });
      loaded.push(`${table} (${n}${paths.length > 1 ? `, файлов: ${paths.length}` : ''})`);
    }
    const files = other.map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) }));
    loaded.push(...(await loadCanonicalFiles(conn, files)));
    if (!loaded.length) {
      console.error(`В папке «${dir}» нет канонических таблиц (<таблица>.csv, .parquet, .json или папка <таблица>/ с Parquet)`);
      process.exit(1);
    }
    const loadSeconds = seconds(t0);
    console.error(`${inPlace ? 'Подключено (Parquet на месте)' : 'Загружено'} за ${loadSeconds.toFixed(1)} с: ${loaded.join(', ')}`);

    const params: Partial<IndicatorParams> = arg('params') ? JSON.parse(arg('params') as string) : {};
    if (process.argv.includes('--include-retakes')) params.includeRetakes = true;
    const ids = list(arg('ids'));
    const times: { id: string; seconds: number }[] = [];
    let last = performance.now();
    const t1 = last;
    // The rows stay in the engine: the file is written by COPY, the summary counted by SQL.
    await runIndicators(conn, {
      params,
      ids,
      indicators: skip.size ? INDICATORS.filter((d) => !skip.has(d.id)) : undefined,
      collect: false,
      onProgress: (done, total, id) => {
        times.push({ id, seconds: seconds(last) });
        last = performance.now();
        console.error(`[${done}/${total}] ${id} ${times[times.length - 1].seconds.toFixed(1)} с, пик памяти ${peakMb()} МБ`);
      },
    });
    const runSeconds = seconds(t1);
    const target = quoteLiteral(resolve(out));
    const select = `SELECT ${INDICATOR_SELECT_COLUMNS} FROM ${INDICATORS_TABLE}`;
    const options = format === '.csv' ? "(FORMAT csv, HEADER true)" : format === '.parquet' ? '(FORMAT parquet)' : '(FORMAT json, ARRAY true)';
    await conn.query({ type: 'exec', sql: `COPY (${select}) TO ${target} ${options}` });
    const [summary] = await conn.query({
      type: 'rows',
      sql: `SELECT count(DISTINCT indicator_id) AS ids, count(*) AS n, count(*) FILTER (WHERE dimension = 'missing') AS missing FROM ${INDICATORS_TABLE}`,
    });
    const errors = await conn.query({ type: 'rows', sql: `SELECT indicator_id, dimension_value FROM ${INDICATORS_TABLE} WHERE dimension = 'error' ORDER BY 1` });
    const [limit] = await conn.query({ type: 'rows', sql: `SELECT current_setting('memory_limit') AS v, current_setting('temp_directory') AS tmp` });
    const slowest = [...times].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
    console.log(`Таблицы: ${loaded.join(', ')}`);
    console.log(`Показателей: ${summary.ids}, строк: ${summary.n}, строк «нет данных»: ${summary.missing}, ошибок: ${errors.length} → ${resolve(out)}`);
    if (skip.size) {
      const dependents = INDICATORS.filter((d) => !skip.has(d.id) && d.dependsOn?.some((x) => skip.has(x))).map((d) => d.id);
      console.log(`Пропущены (--skip), в таблице их нет: ${[...skip].join(', ')}${dependents.length ? `; считались без них: ${dependents.join(', ')}` : ''}`);
    }
    console.log(`Время: загрузка ${loadSeconds.toFixed(1)} с, показатели ${runSeconds.toFixed(1)} с; дольше всех: ${slowest.map((t) => `${t.id} ${t.seconds.toFixed(1)} с`).join(', ')}`);
    console.log(`Память: пик ${peakMb()} МБ (процесс), предел DuckDB ${limit.v}`);
    const timings = arg('timings');
    if (timings) {
      const record = { memoryLimit: limit.v, tempDirectory: limit.tmp, inPlace, loadSeconds, runSeconds, peakRssMb: peakMb(), skipped: [...skip], tables: loaded, indicators: times };
      writeFileSync(resolve(timings), JSON.stringify(record, null, 1));
    }
    for (const e of errors) console.error(`Ошибка ${e.indicator_id}: ${e.dimension_value}`);
    if (errors.length) process.exitCode = 1;
  } finally {
    await conn.close();
  }
}

if (process.argv[1]?.endsWith('scripts/indicators.ts')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
