import { execSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
  '.parquet': 'application/octet-stream',
  '.xlsx': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** Serves a built folder on 127.0.0.1 (a random port) the way `vite preview` would. */
export function serveStatic(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      ok({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/** Builds the app once (unless SKIP_BUILD=1 and dist/ exists) and serves it for every browser test file. */
export default async function setup(project: TestProject) {
  // DIST_DIR lets several people build and test at once without overwriting each other's dist/.
  const root = resolve(process.env.DIST_DIR ?? 'dist');
  if (!(process.env.SKIP_BUILD === '1' && existsSync(join(root, 'index.html')))) {
    execSync(`npx vite build --logLevel warn --outDir ${JSON.stringify(root)} --emptyOutDir`, { stdio: 'inherit' });
  }
  const { server, url } = await serveStatic(root);
  project.provide('appUrl', url);
  return () => new Promise<void>((ok) => server.close(() => ok()));
}

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
  }
}
