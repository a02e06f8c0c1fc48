/** npm run import on a folder with hostile and broken files: the good files import, the bad ones are listed by name. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { runCliDetailed } from '../../../scripts/import';
import { bombBook, hugeDimensionBook, pollutingBook } from './read/hostile-books';

const FIX = join(import.meta.dirname, '../../fixtures/ingest');
const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'msoko-cli-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('one bad file does not stop the others; the summary lists it with its name and reason', async () => {
  const src = join(dir, 'folder');
  mkdirSync(src);
  copyFileSync(join(FIX, 'vpr_dump_matematika_4_2021.csv'), join(src, 'dump.csv'));
  writeFileSync(join(src, 'bomb.xlsx'), bombBook());
  writeFileSync(join(src, 'huge-range.xlsx'), await hugeDimensionBook());
  writeFileSync(join(src, 'polluting.xlsx'), await pollutingBook());
  writeFileSync(join(src, 'garbage.csv'), new Uint8Array([0, 1, 2, 3, 0, 0, 7, 8]));
  const lines: string[] = [];
  const { reports, failed } = await runCliDetailed([src, '--out', join(dir, 'out'), '--set', 'year=2021', '--set', 'procedure=ВПР', '--set', 'subject=Математика', '--set', 'grade=4'], (s) =>
    lines.push(s),
  );
  expect(failed.map((f) => f.path.replace(/^.*\//, ''))).toEqual(['bomb.xlsx', 'garbage.csv']);
  expect(failed[0].message).toMatch(/^Файл «bomb\.xlsx»: книга слишком велика или повреждена/);
  expect(failed[1].message).toMatch(/^Файл «garbage\.csv»: не похож на таблицу/);
  expect(reports.map((r) => r.file).sort()).toEqual(['dump.csv', 'huge-range.xlsx', 'polluting.xlsx']);
  expect(readFileSync(join(dir, 'out', 'assessment_results.csv'), 'utf8')).toContain('2021,ВПР,Математика,4,220001,4А,30001');
  const text = lines.join('\n');
  expect(text).toContain('Не загружено файлов: 2');
  expect(text).toContain(`${join(src, 'bomb.xlsx')}: Файл «bomb.xlsx»: книга слишком велика`);
  // The polluting workbook was parsed, in the worker thread, without touching this thread's objects.
  expect(Object.keys(Object.prototype)).toEqual([]);
}, 180_000);

test('exit code: 1 only when nothing imported, with the reason on the console', async () => {
  const bad = join(dir, 'only-bad');
  mkdirSync(bad);
  writeFileSync(join(bad, 'bomb.xlsx'), bombBook());
  const run = promisify(execFile)(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/import.ts', bad, '--out', join(dir, 'out2')], { cwd: ROOT });
  const failure = await run.then(
    () => null,
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stdout).toContain('Ничего не загружено: ни один файл не удалось прочитать.');
  expect(failure?.stdout).toContain('Файл «bomb.xlsx»: книга слишком велика или повреждена');
  expect(failure?.stderr).toBe('');
}, 180_000);
