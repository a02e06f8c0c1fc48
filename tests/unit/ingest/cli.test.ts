import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseArgs, runCli } from '../../../scripts/import';

const FIX = join(import.meta.dirname, '../../fixtures/ingest');

test('npm run import: --set constants, CSV + Parquet per table, issues CSV and a Russian summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'h3-cli-'));
  try {
    copyFileSync(join(FIX, 'vpr_dump_matematika_4_2021.csv'), join(dir, 'dump.csv'));
    const out = join(dir, 'out');
    const lines: string[] = [];
    await runCli([join(dir, 'dump.csv'), '--out', out, '--set', 'year=2021', '--set', 'procedure=ВПР', '--set', 'subject=Математика', '--set', 'grade=4'], (s) => lines.push(s));
    const csv = readFileSync(join(out, 'assessment_results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('year,procedure,subject,grade,school_id,class,student_id,variant,primary_score,test_score,mark,journal_mark,retake,gender');
    // Marks from the shipped 2021 scale: 5 and 4 points are below «3» (from 6).
    // Code 30002 appears in two schools: two participants, not a duplicate.
    expect(csv.slice(1).sort()).toEqual([
      '2021,ВПР,Математика,4,220001,4А,30001,1,5,,2,5,false,м',
      '2021,ВПР,Математика,4,220001,4А,30002,2,4,,2,4,false,ж',
      '2021,ВПР,Математика,4,220002,4А,30002,2,4,,2,4,false,ж',
    ]);
    expect(readFileSync(join(out, 'task_scores.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    const issues = readFileSync(join(out, 'import_issues.csv'), 'utf8');
    expect(issues.startsWith('\ufeffФайл;Лист;Строка;Столбец;Код;Сообщение;Строка исключена')).toBe(true);
    // 2 not attempted, 1 total out of range, 2 schools added.
    expect(issues.trim().split('\r\n')).toHaveLength(1 + 5);
    const text = lines.join('\n');
    expect(text).toContain('Итого: 1 лист, исключено строк: 1');
    expect(text).toContain('Добавлена ОО, которой не было в справочнике: 2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--set rejects unknown keys with a Russian message', () => {
  expect(() => parseArgs(['a.csv', '--out', 'x', '--set', 'term=1'])).toThrow('--set: неизвестный ключ «term»');
});
