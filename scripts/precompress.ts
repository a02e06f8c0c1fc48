/**
 * A Vite plugin that writes brotli (`.br`) and gzip (`.gz`) siblings of the big built assets, so
 * that the 34 MB DuckDB wasm travels as ≈8 MB (scripts/serve.ts picks the variant). Brotli runs
 * at quality 9: 11 takes minutes on the wasm for a percent or two less.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

// `.arrows`: the demo's typed tables (vite.config.ts, virtual:demo-tables).
const COMPRESSIBLE = /\.(wasm|js|mjs|css|csv|json|html|svg|md|arrows)$/;
const MIN_BYTES = 8 * 1024;

export function precompressDir(dir: string): { files: number; before: number; after: number } {
  let files = 0;
  let before = 0;
  let after = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (COMPRESSIBLE.test(name) && st.size >= MIN_BYTES) {
        const bytes = readFileSync(path);
        const br = brotliCompressSync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        });
        writeFileSync(`${path}.br`, br);
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
        files++;
        before += bytes.length;
        after += br.length;
      }
    }
  };
  walk(dir);
  return { files, before, after };
}

/**
 * `MSOKO_PRECOMPRESS=0` skips it: the bench build that tests/browser/bench-parity.test.ts checks
 * values in is served on loopback only, where no transfer size is measured (≈13 s of CPU saved
 * while the app's own build and the unit tests share the machine).
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'msoko-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      if (process.env.MSOKO_PRECOMPRESS === '0') return;
      precompressDir(outDir);
    },
  };
}
