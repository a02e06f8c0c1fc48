import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium';

export { CHROMIUM };

export interface AppSession {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Every request that left the app's origin; a test must end with it empty. */
  offOrigin: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  profileDir: string;
  /** Opens a new context on the same profile (persistence across browser restarts). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the built app in Debian's Chromium with a fresh (or given) profile. Any request to
 * another origin is recorded and aborted, so privacy tests fail loudly instead of leaking.
 */
export async function openApp(opts: { profileDir?: string; path?: string; passThrough?: string[] } = {}): Promise<AppSession> {
  const url = inject('appUrl');
  const origin = new URL(url).origin;
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'msoko-profile-'));
  const session = { url, profileDir, offOrigin: [] as string[], errors: [] as string[] } as AppSession;

  const launch = async () => {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      session.offOrigin.push(u);
      // Hostile-input probes let requests to their attacker server through, to count what arrives.
      if (opts.passThrough?.some((o) => u.startsWith(o))) return route.continue();
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && session.errors.push(m.text()));
    page.on('pageerror', (e) => session.errors.push(String(e)));
    // The app lands on the home page; most tests work in the notebook view, so that is their default.
    await page.goto(url + (opts.path ?? '#/notebook'));
    session.context = context;
    session.page = page;
  };
  await launch();
  session.restart = async () => {
    await session.context.close();
    await launch();
  };
  session.close = async () => {
    await session.context.close();
    if (!opts.profileDir) rmSync(profileDir, { recursive: true, force: true });
  };
  return session;
}

export interface Attacker {
  /** Origin with a trailing slash, e.g. http://127.0.0.1:40123/ */
  url: string;
  /** Every request that reached the server (method and path with query). */
  hits: string[];
  /** TCP connections accepted, HTTP or not (a TURN client's allocation is no HTTP request). */
  connections: () => number;
  close(): Promise<void>;
}

/** A second local server on another port that records every request: what a leak would reach. */
export function startAttacker(): Promise<Attacker> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}${body ? ` ${body.slice(0, 200)}` : ''}`);
      res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('ok');
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const close = () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done())));
      ok({ url: `http://127.0.0.1:${port}/`, hits, connections: () => connections, close });
    }),
  );
}
