import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../../scripts/serve';

// Tests serve the build exactly as `npm start` does (precompressed, cache headers).
export { serveStatic };

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
