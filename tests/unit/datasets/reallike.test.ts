import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildRealLike, writeRealLike } from '../../../datasets/reallike/generate';
import { addressOf, emailOf, phoneOf, resultPath } from '../../../datasets/reallike/files';
import { OTHER_TEXTBOOK, buildSchools, buildWorks } from '../../../datasets/reallike/world';
import { runCli } from '../../../scripts/import';
import { NodeConnector } from '../../../src/db/node-connector';
import type { ImportReport } from '../../../src/ingest/apply';
import { loadCanonicalFiles } from '../../../src/indicators/load';
import { runIndicators } from '../../../src/indicators/run';
import { countFolder, readCsv, readSheets, type FileCount } from './reallike/count';

const RESULT_FILES = buildWorks().map((w) => basename(resultPath(w)));
/** Files whose count does not match yet, with the importer feature they wait for (none left; kept for the next layout). */
const PENDING_SCORES: Record<string, string> = {};

describe('real-like folder: the generator', () => {
  test('is deterministic and carries per-school codes, КИМ rows per task × КЭС × КТ and spilled cells', () => {
    const a = buildRealLike();
    const b = buildRealLike();
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(Buffer.compare(Buffer.from(v), Buffer.from(b.get(k)!)), k).toBe(0);
    const results = [...a.keys()].filter((k) => k.startsWith('ВПР '));
    expect(results).toHaveLength(24);
    // Every layout's first school and some other school both number from 40001.
    for (const k of results) {
      const bytes = Buffer.from(a.get(k)!);
      const grid = k.endsWith('.csv') ? readCsv(bytes) : (readSheets(bytes).get('Протокол') ?? [...readSheets(bytes).values()][0]!);
      const codeCol = grid[0]!.findIndex((h) => ['code', 'код обучающегося', 'Код'].includes(h));
      const firstCodes = grid.slice(1).filter((r) => r[codeCol] === '40001' || r[codeCol] === '40002');
      expect(new Set(firstCodes.map((r) => r[0])).size, k).toBeGreaterThan(10);
    }
    const kim = readSheets(Buffer.from(a.get('Описание КИМ/Описание КИМ ВПР 2021 Математика 6 класс.xlsx')!)).get('Описание')!;
    const body = kim.slice(2).filter((r) => r[0]);
    expect(body).toHaveLength(48);
    expect(new Set(body.map((r) => r[0])).size).toBe(15);
    const rus = readCsv(Buffer.from(a.get('ВПР 2021/ВПР 2021 Русский язык 5 класс.csv')!));
    expect(rus.filter((r) => r.length > rus[0]!.length)).toHaveLength(3);
  }, 120_000);
});

describe('real-like folder imported in one go (npm run import)', () => {
  let dir: string, out: string;
  let reports: ImportReport[];
  let counted: ReturnType<typeof countFolder>;
  let conn: NodeConnector;
  const rows = (sql: string) => conn.query({ type: 'rows', sql }) as Promise<Array<Record<string, unknown>>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reallike-'));
    out = mkdtempSync(join(tmpdir(), 'reallike-out-'));
    // Pending (engineer "ingest"): spilled cells past the header stop the CSV reader («в строке больше
    // столбцов»), so the CSV file gets none yet; the XLSX one has them and they are listed.
    writeRealLike(dir, undefined, { spillCsv: false });
    counted = countFolder(dir);
    reports = await runCli([dir, '--out', out], () => {});
    conn = await NodeConnector.open();
    const files = readdirSync(out)
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(out, f))) }));
    await loadCanonicalFiles(conn, files);
  }, 900_000);
  afterAll(async () => {
    await conn?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  const work = (f: FileCount) => `year = ${f.year} AND procedure = 'ВПР' AND subject = '${f.subject}' AND grade = ${f.grade}`;

  test('the independent count sees what was planted', () => {
    expect(counted.files).toHaveLength(24);
    const total = counted.files.reduce((a, f) => a + f.rows.length, 0);
    expect(total).toBeGreaterThan(8000);
    for (const f of counted.files) expect(f.keys, f.file).toBe(f.rows.length);
    expect(counted.files.reduce((a, f) => a + f.outOfRange, 0)).toBe(1);
    expect(counted.files.filter((f) => f.absent > 0).length).toBe(17);
  });

  // One case per file, so that a file an importer feature does not handle yet is named, not hidden.
  for (const name of RESULT_FILES) {
    const why = PENDING_SCORES[name];
    (why ? test.skip : test)(`${name}: scored participants and mean primary score equal the independent count${why ? ` (pending: ${why})` : ''}`, async () => {
      const f = counted.files.find((x) => x.file === name)!;
      const [r] = await rows(`SELECT count(*) AS n, avg(primary_score) AS mean FROM assessment_results WHERE ${work(f)}`);
      expect(Number(r!.n)).toBe(f.scored);
      expect(Number(r!.mean)).toBeCloseTo(f.mean, 9);
    });
  }

  test('every file: absent participants equal the independent count', () => {
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const f of counted.files) {
      want[f.file] = f.absent;
      got[f.file] = reports.filter((r) => r.file === f.file).reduce((a, r) => a + (r.counts.absent ?? 0), 0);
    }
    expect(got).toEqual(want);
  });

  test('values spilled into untitled columns are listed with their cells, and the rows stay', () => {
    const bio = reports.filter((r) => r.file === 'Проведение работы по Биологии, 6 класс. ВПР 2022.xlsx');
    expect(bio.reduce((a, r) => a + (r.counts.spill ?? 0), 0)).toBe(6);
  });

  test('no «Повтор участника» for codes that restart in every school', () => {
    expect(reports.reduce((a, r) => a + (r.counts.duplicate ?? 0), 0)).toBe(0);
  });

  test('every school of the files is in `schools` for that year, with the file as the source', async () => {
    const have = new Set((await rows(`SELECT DISTINCT year, school_id FROM schools`)).map((r) => `${r.year}|${r.school_id}`));
    const missing: string[] = [];
    for (const f of counted.files) for (const s of f.schools) if (!have.has(`${f.year}|${s}`)) missing.push(`${f.year}|${s}`);
    expect([...new Set(missing)]).toEqual([]);
    // 48 schools, 20 of them in a questionnaire: the other 28 come only from the result files.
    expect(new Set([...have].map((k) => k.split('|')[1])).size).toBe(48);
  });

  test('the later questionnaire loads, but its phone numbers, e-mails and addresses are stored nowhere', async () => {
    const surveyed = buildSchools().filter((s) => s.surveyed);
    const [loaded] = await rows(`SELECT count(*) AS n FROM schools WHERE year = 2022 AND settlement_type IS NOT NULL`);
    expect(Number(loaded!.n)).toBe(surveyed.length);
    const text = (await rows(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR' AND table_schema <> 'raw'`,
    )) as Array<{ table_schema: string; table_name: string; column_name: string }>;
    const pattern = '3852\\)|@edu\\.example\\.ru|ул\\. Школьная';
    expect(surveyed.every((s) => new RegExp(pattern).test(phoneOf(s) + emailOf(s) + addressOf(s)))).toBe(true);
    for (const c of text) {
      const [hit] = await conn.query({
        type: 'rows',
        sql: `SELECT count(*) AS n FROM "${c.table_schema}"."${c.table_name}" WHERE regexp_matches("${c.column_name}", $1)`,
        params: [pattern],
      });
      expect(Number(hit!.n), `${c.table_name}.${c.column_name}`).toBe(0);
    }
  });

  /** GIA-07 «score|<factor>» groups of a file's work: group → n. */
  const gia07 = async (f: FileCount, factor: string) =>
    (await rows(
      `SELECT dimension_value AS g, denominator AS n, value FROM indicators WHERE indicator_id = 'GIA-07' AND dimension = 'score|${factor}' AND ${work(f)} AND school_id IS NULL AND dimension_value IS NOT NULL`,
    )) as Array<{ g: string; n: number; value: number }>;
  const scoredRows = (f: FileCount) => f.rows.filter((r) => !r.absent && r.total !== null && r.total >= 0 && r.total <= f.max);

  test('GIA-07 by textbook, regional export (`Учебник` per participant): named textbooks, their n and mean', async () => {
    await runIndicators(conn, { ids: ['GIA-07'] });
    const files = counted.files.filter((x) => x.year === 2021 && x.subject === 'Математика');
    expect(files).toHaveLength(3);
    for (const f of files) {
      const want = new Map<string, { n: number; sum: number }>();
      for (const r of scoredRows(f)) {
        if (!r.textbook || r.textbook.includes(OTHER_TEXTBOOK.author)) continue;
        const g = want.get(r.textbook) ?? { n: 0, sum: 0 };
        want.set(r.textbook, { n: g.n + 1, sum: g.sum + r.total! });
      }
      expect(want.size).toBe(3);
      const got = await gia07(f, 'textbook');
      for (const [book, g] of want) {
        const row = got.find((r) => r.g === book);
        expect(row, `${f.file}: ${book}`).toBeDefined();
        expect(Number(row!.n), `${f.file}: ${book}`).toBe(g.n);
        expect(Number(row!.value)).toBeCloseTo(g.sum / g.n, 9);
      }
    }
  });

  test('GIA-07 by textbook: «Другое» is the book of `Др.уч. автор` + `Др.уч. название`', async () => {
    for (const f of counted.files.filter((x) => x.year === 2021 && x.subject === 'Математика')) {
      const n = scoredRows(f).filter((r) => r.textbook?.includes(OTHER_TEXTBOOK.author)).length;
      const got = await gia07(f, 'textbook');
      expect(got.filter((r) => r.g.includes(OTHER_TEXTBOOK.author) && r.g.includes(OTHER_TEXTBOOK.title)).map((r) => Number(r.n))).toEqual([n]);
      expect(got.some((r) => r.g === 'Другое')).toBe(false);
    }
  });

  test('GIA-07 by textbook, «Протокол» + «Классы»: the textbook of every class, n per textbook', async () => {
    for (const f of counted.files.filter((x) => x.year === 2022 && x.subject === 'Математика')) {
      const want = new Map<string, number>();
      for (const r of scoredRows(f)) if (r.textbook) want.set(r.textbook, (want.get(r.textbook) ?? 0) + 1);
      const got = await gia07(f, 'textbook');
      const norm = (g: string) => (g.includes(OTHER_TEXTBOOK.author) ? 'other' : g);
      expect(Object.fromEntries(got.map((r) => [norm(r.g), Number(r.n)]))).toEqual(Object.fromEntries([...want].map(([k, v]) => [norm(k), v])));
    }
  });

  test('GIA-07 by settlement type: the questionnaire schools, grouped as город / пгт / село', async () => {
    for (const f of counted.files.filter((x) => x.year >= 2021)) {
      const want = new Map<string, number>();
      for (const r of scoredRows(f)) {
        const type = counted.settlement.get(`${f.year}|${r.school}`);
        if (type) want.set(type, (want.get(type) ?? 0) + 1);
      }
      const got = await gia07(f, 'settlement_type');
      expect(Object.fromEntries(got.map((r) => [r.g, Number(r.n)])), f.file).toEqual(Object.fromEntries(want));
    }
  });

  test('КИМ descriptions: one `tasks` row per task (not per КЭС × КТ row), maxima as in the file', async () => {
    for (const [key, k] of counted.kims) {
      const [year, subject, grade] = key.split('|');
      const [r] = await rows(
        `SELECT count(*) AS n, sum(max_score) AS mx FROM tasks WHERE year = ${Number(year)} AND procedure = 'ВПР' AND subject = '${subject}' AND grade = ${Number(grade)}`,
      );
      expect({ key, n: Number(r!.n), max: Number(r!.mx) }).toEqual({ key, n: k.tasks, max: k.max });
    }
  });
});
