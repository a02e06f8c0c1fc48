/**
 * `window.__msoko.notebook`: the browser tests' handle on the open notebook (docs/notebook.md,
 * «In the app»). Kept out of the view so the view stays about the notebook.
 */
import { db } from '../../db/browser-connector';
import { serializeNotebook } from '../format';
import { loadDataFile, snapshot } from '../headless';
import type { NotebookRuntime } from '../runtime';
import type { NotebookStore } from '../store';

export interface HookDeps {
  runtime: () => NotebookRuntime | undefined;
  store: NotebookStore;
  busy: () => boolean;
  openText: (text: string, opts: { trusted?: boolean }) => Promise<void>;
  openTemplate: (id: string) => Promise<boolean>;
}

export function installTestHook(d: HookDeps): void {
  const hook = {
    runtime: d.runtime,
    store: () => d.store,
    idle: async () => {
      for (;;) {
        await d.runtime()?.idle();
        if (!d.busy()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    snapshot: () => {
      const rt = d.runtime();
      return rt ? snapshot(rt) : null;
    },
    serialize: () => serializeNotebook(d.store.state.data),
    loadData: async (fileName: string, text: string) => {
      const table = await loadDataFile(db, fileName, new TextEncoder().encode(text));
      await db.persistTables([table]);
      return table;
    },
    openText: (text: string, opts: { trusted?: boolean } = {}) => d.openText(text, opts),
    openTemplate: d.openTemplate,
  };
  const w = window as unknown as { __msoko?: Record<string, unknown> };
  w.__msoko = { ...(w.__msoko ?? {}), notebook: hook };
}
