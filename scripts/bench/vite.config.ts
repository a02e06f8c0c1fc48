/**
 * The app's build plus the benchmark page (scripts/bench/page/index.html) and the bare engine
 * page (scripts/bench/bare/index.html, the peer of the app's start-up), so the bench
 * drives the same modules, worker and DuckDB-WASM the app ships. Used only by npm run bench
 * and tests/browser/bench-parity.test.ts; the app's own build (vite.config.ts) is unchanged.
 */
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import base from '../../vite.config';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default mergeConfig(base, {
  root,
  build: {
    rollupOptions: {
      input: {
        app: fileURLToPath(new URL('../../index.html', import.meta.url)),
        bench: fileURLToPath(new URL('./page/index.html', import.meta.url)),
        bare: fileURLToPath(new URL('./bare/index.html', import.meta.url)),
      },
    },
  },
});
