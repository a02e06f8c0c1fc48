import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { precompress } from './scripts/precompress';
import { patchDuckdbGlue } from './src/db/duckdb-glue';

/**
 * `virtual:ts-frame`: the code of the TypeScript-cell sandbox (src/notebook/sandbox/frame.ts) as
 * one classic script in a string. The sandboxed frame has an opaque origin, so it cannot load
 * module chunks; the page hands it this text and the frame's boot script evaluates it.
 */
function tsFrame(): Plugin {
  const id = 'virtual:ts-frame';
  return {
    name: 'msoko-ts-frame',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    async load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const { build } = await import('esbuild');
      const entry = fileURLToPath(new URL('./src/notebook/sandbox/frame.ts', import.meta.url));
      const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', write: false, minify: true, target: 'es2022', platform: 'browser', metafile: true, logLevel: 'warning' });
      for (const input of Object.keys(out.metafile?.inputs ?? {})) this.addWatchFile(fileURLToPath(new URL(input, new URL('./', import.meta.url))));
      return `export default ${JSON.stringify(out.outputFiles[0].text)};`;
    },
  };
}

/** apache-arrow's builders compile a null check with `new Function`: use the CSP-safe equivalent. */
function arrowWithoutEval(): Plugin {
  const replacement = fileURLToPath(new URL('./src/notebook/arrow-valid.ts', import.meta.url));
  return {
    name: 'msoko-arrow-without-eval',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]apache-arrow[\\/]/.test(importer) && /(^|\/)valid\.m?js$/.test(source)) return replacement;
      return undefined;
    },
  };
}

/**
 * src/db/early-worker.ts as an entry of its own, loaded by the page's first script tag, so the
 * database worker starts before the app's bundle (≈1 MB) is fetched and run. It cannot simply be
 * a second script in index.html: Vite merges an HTML file's module scripts into one entry. The
 * app's bundle imports the same chunk, so the module (and its worker) exists once.
 */
function earlyWorker(): Plugin {
  const entry = fileURLToPath(new URL('./src/db/early-worker.ts', import.meta.url));
  return {
    name: 'msoko-early-worker',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // Only the app's page: the bench's pages (scripts/bench/vite.config.ts) must not start it.
        if (ctx.path !== '/index.html') return html;
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.facadeModuleId === entry);
        if (!chunk) throw new Error('early-worker entry missing from the bundle');
        return html.replace(/<script type="module"/, `<script type="module" crossorigin src="./${chunk.fileName}"></script>\n    $&`);
      },
    },
  };
}

/** DuckDB-WASM's blocking bundle (the database worker's) with the lighter start-up glue of src/db/duckdb-glue.ts. */
function duckdbGlue(): Plugin {
  return {
    name: 'msoko-duckdb-glue',
    enforce: 'pre',
    transform(code, id) {
      if (!/duckdb-browser-blocking\.mjs$/.test(id.split('?')[0])) return undefined;
      return { code: patchDuckdbGlue(code), map: null };
    },
  };
}

/**
 * `virtual:demo-tables`: the URL of the demo's tables as typed Arrow, made at build time by the
 * engine and loader the tab runs (src/db/demo-arrow.ts), or null on the dev server (the app then
 * loads the CSVs). Its brotli and gzip siblings come from scripts/precompress.ts like every asset's.
 */
function demoTables(): Plugin {
  const id = 'virtual:demo-tables';
  let build = false;
  return {
    name: 'msoko-demo-tables',
    configResolved(config) {
      build = config.command === 'build';
    },
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    async load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      if (!build) return 'export default null;';
      const { buildDemoArrow } = await import('./src/db/demo-arrow');
      const root = fileURLToPath(new URL('./', import.meta.url));
      const source = await buildDemoArrow(join(root, 'datasets/demo/canonical'), join(root, '.cache/demo-arrow'));
      const ref = this.emitFile({ type: 'asset', name: 'demo-tables.arrows', source });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}

const duckdbDist = fileURLToPath(new URL('./node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url));

export default defineConfig({
  plugins: [solid(), tsFrame(), arrowWithoutEval(), earlyWorker(), demoTables(), precompress()],
  base: './',
  resolve: {
    alias: [
      // The package's ./blocking export has no browser condition; point it at the browser build.
      { find: /^@duckdb\/duckdb-wasm\/blocking$/, replacement: `${duckdbDist}duckdb-browser-blocking.mjs` },
    ],
  },
  optimizeDeps: {
    entries: ['index.html', 'workers/*.ts'],
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
  },
  worker: { format: 'es', plugins: () => [duckdbGlue()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
    rollupOptions: { input: { app: fileURLToPath(new URL('./index.html', import.meta.url)), early: fileURLToPath(new URL('./src/db/early-worker.ts', import.meta.url)) } },
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
