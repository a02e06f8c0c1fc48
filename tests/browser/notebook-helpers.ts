/**
 * Helpers for browser tests that open notebooks in the app: a cell by its id, notebook text
 * opened as trusted, the app on its notebook view, and a fresh app per test beside an
 * "attacker" server for the hostile-input probes.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, startAttacker, type AppSession, type Attacker } from './harness';
import { notebookIdle } from './app-helpers';

type NotebookHook = { openText(text: string, opts?: { trusted?: boolean }): Promise<void> };

export const cell = (page: Page, id: string): Locator => page.locator(`[data-testid=cell][data-cell-id="${id}"]`);

/** Opens notebook text as trusted, so its cells run (the notebook's test hook). */
export const openTrusted = (page: Page, text: string): Promise<void> =>
  page.evaluate((t) => (window as unknown as { __msoko: { notebook: NotebookHook } }).__msoko.notebook.openText(t, { trusted: true }), text);

/** Opens the app on the notebook view and waits until the notebook shown there has run. */
export async function openNotebookApp(opts: Parameters<typeof openApp>[0] = {}): Promise<AppSession> {
  const app = await openApp({ ...opts, path: '#/notebook' });
  await app.page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await notebookIdle(app.page);
  return app;
}

export interface HostileSession {
  /** The app `start()` opened in this test. */
  readonly app: AppSession;
  /** This test's attacker server (another local port) and the hits it counted. */
  readonly attacker: Attacker;
  /** Opens the app on the notebook view, with requests to the attacker let through so a leak really arrives. */
  start(): Promise<Page>;
}

/** Registers, for every test of the file, a fresh attacker server and the closing of the app and the server. */
export function hostileSession(): HostileSession {
  let app: AppSession | undefined;
  let attacker: Attacker | undefined;
  beforeEach(async () => {
    attacker = await startAttacker();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await attacker?.close();
  });
  return {
    get app() {
      if (!app) throw new Error('start() first');
      return app;
    },
    get attacker() {
      if (!attacker) throw new Error('no attacker outside a test');
      return attacker;
    },
    async start() {
      app = await openNotebookApp({ passThrough: [this.attacker.url] });
      return app.page;
    },
  };
}
