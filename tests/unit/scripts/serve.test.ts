/** The app's static server: precompressed variants, immutable caching of hashed assets, no traversal. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { precompressDir } from '../../../scripts/precompress';
import { cacheControl, serveStatic } from '../../../scripts/serve';

let dir: string;
let url: string;
let close: () => void;
const wasm = Buffer.alloc(64 * 1024, 7);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msoko-serve-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'duckdb-eh-9ubY-jlA.wasm'), wasm);
  writeFileSync(join(dir, 'secret.txt'), 'no');
  expect(precompressDir(dir).files).toBe(1);
  const s = await serveStatic(dir);
  url = s.url;
  close = () => s.server.close();
});
afterAll(() => {
  close?.();
  rmSync(dir, { recursive: true, force: true });
});

test('hashed assets are immutable, the page is revalidated', () => {
  expect(cacheControl('/assets/index-DKEcAa_h.js')).toBe('public, max-age=31536000, immutable');
  expect(cacheControl('/index.html')).toBe('no-cache');
  expect(cacheControl('/assets/logo.png')).toBe('no-cache');
});

test('brotli is sent to a browser that accepts it, the plain file to one that does not', async () => {
  const br = await fetch(`${url}assets/duckdb-eh-9ubY-jlA.wasm`, { headers: { 'accept-encoding': 'br' } });
  expect(br.headers.get('content-type')).toBe('application/wasm');
  expect(br.headers.get('cache-control')).toContain('immutable');
  // fetch decodes the body itself; the header and the decoded bytes tell what travelled.
  expect(br.headers.get('content-encoding')).toBe('br');
  expect(Buffer.from(await br.arrayBuffer()).equals(wasm)).toBe(true);
  const plain = await fetch(`${url}assets/duckdb-eh-9ubY-jlA.wasm`, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers.get('content-encoding')).toBeNull();
  expect(Number(plain.headers.get('content-length'))).toBe(wasm.length);
});

test('paths outside the folder and the compressed siblings themselves are not served', async () => {
  expect((await fetch(`${url}..%2f..%2fetc%2fpasswd`)).status).toBe(403);
  expect((await fetch(`${url}assets/duckdb-eh-9ubY-jlA.wasm.br`)).status).toBe(404);
  expect((await fetch(url)).headers.get('cache-control')).toBe('no-cache');
});
