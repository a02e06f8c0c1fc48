import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => app?.close());

test('the app opens and makes no off-origin request', async () => {
  await app.page.getByTestId('app').waitFor();
  expect(await app.page.title()).toBe('МСОКО Workbench');
  expect(app.offOrigin).toEqual([]);
});
