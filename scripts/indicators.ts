/**
 * `npm run indicators -- --data <folder of canonical files> --out <file.csv|.parquet|.json>`
 * Loads the canonical tables of the folder into native DuckDB, runs every indicator of the
 * catalogue (the same modules as the browser) and writes the indicator table.
 * Options: --ids PREP-01,GIA-07 (only these), --include-retakes, --params '<json>' (IndicatorParams).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { NodeConnector } from '../src/db/node-connector';
import { quoteLiteral } from '../src/db/connector';
import { loadCanonicalFiles } from '../src/indicators/load';
import { runIndicators } from '../src/indicators/run';
import { INDICATOR_SELECT_COLUMNS, INDICATORS_TABLE } from '../src/indicators/sql';
import type { IndicatorParams } from '../src/indicators/types';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

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
  const dir = resolve(data);
  const files = readdirSync(dir)
    .filter((f) => /\.(csv|parquet|json)$/i.test(f))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const conn = await NodeConnector.open();
  try {
    const loaded = await loadCanonicalFiles(conn, files);
    if (!loaded.length) {
      console.error(`В папке «${dir}» нет канонических таблиц (<таблица>.csv, .parquet или .json)`);
      process.exit(1);
    }
    const params: Partial<IndicatorParams> = arg('params') ? JSON.parse(arg('params') as string) : {};
    if (process.argv.includes('--include-retakes')) params.includeRetakes = true;
    const ids = arg('ids')?.split(',').map((s) => s.trim()).filter(Boolean);
    // The rows stay in the engine: the file is written by COPY, the summary counted by SQL.
    await runIndicators(conn, { params, ids, collect: false });
    const target = quoteLiteral(resolve(out));
    const select = `SELECT ${INDICATOR_SELECT_COLUMNS} FROM ${INDICATORS_TABLE}`;
    const options = format === '.csv' ? "(FORMAT csv, HEADER true)" : format === '.parquet' ? '(FORMAT parquet)' : '(FORMAT json, ARRAY true)';
    await conn.query({ type: 'exec', sql: `COPY (${select}) TO ${target} ${options}` });
    const [summary] = await conn.query({
      type: 'rows',
      sql: `SELECT count(DISTINCT indicator_id) AS ids, count(*) AS n, count(*) FILTER (WHERE dimension = 'missing') AS missing FROM ${INDICATORS_TABLE}`,
    });
    const errors = await conn.query({ type: 'rows', sql: `SELECT indicator_id, dimension_value FROM ${INDICATORS_TABLE} WHERE dimension = 'error' ORDER BY 1` });
    console.log(`Таблицы: ${loaded.join(', ')}`);
    console.log(`Показателей: ${summary.ids}, строк: ${summary.n}, строк «нет данных»: ${summary.missing}, ошибок: ${errors.length} → ${resolve(out)}`);
    for (const e of errors) console.error(`Ошибка ${e.indicator_id}: ${e.dimension_value}`);
    if (errors.length) process.exitCode = 1;
  } finally {
    await conn.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
