/**
 * The app's static server (start.sh, browser tests, bench): serves a built folder on loopback
 * with precompressed variants (`.br`, `.gz` written at build time by scripts/precompress.ts) when
 * the browser accepts them, immutable caching of content-hashed assets (so a reload revalidates
 * nothing and Chromium's compiled-wasm cache hits) and no-cache for the page itself.
 *
 *   npx tsx scripts/serve.ts [dist] [port]
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/octet-stream',
  '.xlsx': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

/** Vite names built assets `name-<8+ char hash>.ext`: their content never changes under that name. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export function cacheControl(path: string): string {
  return path.startsWith('/assets/') && HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The variant to send: brotli, then gzip, when the client accepts it and the file exists. */
export function pickEncoding(file: string, accept: string): { file: string; encoding?: 'br' | 'gzip' } {
  if (/\bbr\b/.test(accept) && existsSync(`${file}.br`)) return { file: `${file}.br`, encoding: 'br' };
  if (/\bgzip\b/.test(accept) && existsSync(`${file}.gz`)) return { file: `${file}.gz`, encoding: 'gzip' };
  return { file };
}

export function serveStatic(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return void res.writeHead(400).end();
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + '/')) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || file.endsWith('.br') || file.endsWith('.gz')) return void res.writeHead(404).end();
    const pick = pickEncoding(file, String(req.headers['accept-encoding'] ?? ''));
    const headers: Record<string, string | number> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(pick.file).size,
      'cache-control': cacheControl(path),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      vary: 'accept-encoding',
    };
    if (pick.encoding) headers['content-encoding'] = pick.encoding;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(pick.file).pipe(res);
  });
  return new Promise((ok) =>
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      ok({ server, url: `http://127.0.0.1:${p}/` });
    }),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = 'dist', port = '4173'] = process.argv.slice(2);
  const { url } = await serveStatic(dir, Number(port));
  console.log(`МСОКО Workbench: откройте ${url} (остановить: Ctrl+C)`);
}
