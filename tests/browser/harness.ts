import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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
  /** The profile folder of a persistent session (`persistent` or `profileDir`); none otherwise. */
  profileDir?: string;
  /** Opens a new context on the same profile (persistence across browser restarts; persistent sessions only). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A profile folder to open (kept after close); implies `persistent`. */
  profileDir?: string;
  /** A browser of its own on a fresh profile folder, so that `restart()` can open that profile again. */
  persistent?: boolean;
  path?: string;
  passThrough?: string[];
}

/**
 * One Chromium for every session that needs no profile of its own: each such session is a fresh
 * context in it (its own storage, cache and renderer, as a fresh profile has), without launching
 * a browser per test file (≈1.5–2.5 s each under CI load, ≈40 times a run). The browser files run
 * one at a time in one worker (vitest.config.ts), so the one browser lives across files; Playwright
 * closes it when the worker exits.
 */
let sharedBrowser: Promise<Browser> | undefined;
const launchOptions = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS };
const contextOptions = { acceptDownloads: true, viewport: { width: 1400, height: 900 } };

function browser(): Promise<Browser> {
  sharedBrowser ??= chromium.launch(launchOptions).then((b) => {
    // A crashed browser is launched again by the next session.
    b.on('disconnected', () => (sharedBrowser = undefined));
    return b;
  });
  return sharedBrowser;
}

/**
 * Opens the built app in Debian's Chromium in a fresh context (or a given or persistent profile).
 * Any request to another origin is recorded and aborted, so privacy tests fail loudly instead of
 * leaking.
 */
export async function openApp(opts: OpenOptions = {}): Promise<AppSession> {
  const url = inject('appUrl');
  const origin = new URL(url).origin;
  const persistent = opts.persistent || !!opts.profileDir;
  const profileDir = persistent ? (opts.profileDir ?? mkdtempSync(join(tmpdir(), 'msoko-profile-'))) : undefined;
  const session = { url, profileDir, offOrigin: [] as string[], errors: [] as string[] } as AppSession;

  const launch = async () => {
    const context = profileDir
      ? await chromium.launchPersistentContext(profileDir, { ...launchOptions, ...contextOptions })
      : await (await browser()).newContext(contextOptions);
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
    if (!profileDir) throw new Error('restart() needs a persistent session: openApp({ persistent: true })');
    await session.context.close();
    await launch();
  };
  session.close = async () => {
    await session.context.close();
    if (profileDir && !opts.profileDir) rmSync(profileDir, { recursive: true, force: true });
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
