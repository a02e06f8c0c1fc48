import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const duckdbDist = fileURLToPath(new URL('./node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url));

export default defineConfig({
  plugins: [solid()],
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
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
