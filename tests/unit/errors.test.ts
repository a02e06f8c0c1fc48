import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../src/db/node-connector';
import { describeError, toUserError, UserError } from '../../src/errors';

let conn: NodeConnector;
beforeAll(async () => (conn = await NodeConnector.open()));
afterAll(async () => conn?.close());

async function engineError(sql: string): Promise<unknown> {
  try {
    await conn.query({ type: 'exec', sql });
  } catch (e) {
    return e;
  }
  throw new Error(`no error from ${sql}`);
}

test("DuckDB's common English errors reach the person in Russian, with the file", async () => {
  const place = { file: 'Результаты.csv' };
  const cases: [string, string][] = [
    [`SELECT CAST('абв' AS INTEGER)`, 'Файл «Результаты.csv»: значение «абв» не удаётся прочитать как целое число.'],
    [`SELECT CAST('2021-13-45' AS DATE)`, 'Файл «Результаты.csv»: «2021-13-45» не является датой.'],
    [`SELECT * FROM read_csv('/nonexistent/x.csv')`, 'Файл «Результаты.csv»: файл «/nonexistent/x.csv» не найден.'],
    [`SELECT * FROM nosuch`, 'Файл «Результаты.csv»: таблица «nosuch» не найдена.'],
    [`SELECT nosuchcol FROM (SELECT 1 AS a)`, 'Файл «Результаты.csv»: столбец «nosuchcol» не найден.'],
    [`SELEC 1`, 'Файл «Результаты.csv»: синтаксическая ошибка в SQL рядом с «SELEC».'],
  ];
  for (const [sql, ru] of cases) expect(describeError(await engineError(sql), place)).toBe(ru);
  const memory = await engineError(
    `SET memory_limit='10MB'; SELECT count(*) FROM (SELECT range::VARCHAR || repeat('x', 40) AS s FROM range(1000000) ORDER BY s)`,
  );
  await conn.query({ type: 'exec', sql: `RESET memory_limit` });
  expect(describeError(memory)).toMatch(/^не хватило памяти для этой операции/);
  // Nothing of the English text is left in a known error.
  for (const [sql] of cases) expect(describeError(await engineError(sql))).not.toMatch(/Error|Catalog|Binder|Conversion|Parser/);
});

test('toUserError keeps our own errors and adds the file they are about once', () => {
  const sheetOnly = new UserError('на листе нет данных.', { sheet: 'Лист1' });
  expect(toUserError(sheetOnly, { file: 'a.xlsx' }).message).toBe('Файл «a.xlsx», лист «Лист1»: на листе нет данных.');
  const withFile = new UserError('пусто.', { file: 'b.csv' });
  expect(toUserError(withFile, { file: 'other.csv' })).toBe(withFile);
  expect(toUserError(new Error('something odd'), { file: 'c.csv' }).message).toBe('Файл «c.csv»: непредвиденная ошибка (something odd).');
});
