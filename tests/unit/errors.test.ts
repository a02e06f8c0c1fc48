import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../src/db/node-connector';
import { CANCELLED_MESSAGE, cellErrorMessage, describeError, notRunMessage, sqlErrorRu, toUserError, UserError } from '../../src/errors';

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

test('a notebook cell error is Russian and keeps the engine line for the author of the query', () => {
  const cases: [string, string][] = [
    ['Catalog Error: Table with name nosuch does not exist!\nDid you mean "x"?', 'Таблица «nosuch» не найдена (Catalog Error: Table with name nosuch does not exist!)'],
    ['Binder Error: Referenced column "zz" not found in FROM clause!', 'Столбец «zz» не найден (Binder Error: Referenced column "zz" not found in FROM clause!)'],
    ['Parser Error: syntax error at or near "SELEC"', 'Синтаксическая ошибка SQL: syntax error at or near "SELEC"'],
    ['Binder Error: No function matches the given name', 'Ошибка в запросе: No function matches the given name'],
    ["Conversion Error: Could not convert string 'a' to INT32", "Ошибка преобразования типов: Could not convert string 'a' to INT32"],
    ['Permission Error: File system LocalFileSystem has been disabled', 'Доступ запрещён: блокнот работает только с загруженными таблицами (Permission Error: File system LocalFileSystem has been disabled)'],
    ['INTERRUPT Error: Interrupted!', 'Выполнение отменено'],
    ['Catalog Error: Scalar Function with name foo does not exist!', 'Ошибка SQL: Catalog Error: Scalar Function with name foo does not exist!'],
    ['something else\nsecond line', 'something else'],
  ];
  for (const [engine, ru] of cases) expect(sqlErrorRu(engine)).toBe(ru);
  expect(CANCELLED_MESSAGE).toBe('Выполнение отменено');
  expect(cellErrorMessage('sql', new Error('Parser Error: x'))).toBe('Синтаксическая ошибка SQL: x');
  expect(cellErrorMessage('ts', new Error('x is not defined'))).toBe('Ошибка в ячейке TypeScript: x is not defined');
  // An engine error reached through a TypeScript cell's sql`` reads like a SQL cell's.
  expect(cellErrorMessage('ts', new Error('Catalog Error: Table with name t does not exist!'))).toBe('Таблица «t» не найдена (Catalog Error: Table with name t does not exist!)');
  expect(cellErrorMessage('vega-lite', 'bad spec')).toBe('bad spec');
  expect(notRunMessage('a')).toBe('Не выполнена: ячейка «a» не выполнена или завершилась с ошибкой');
});
