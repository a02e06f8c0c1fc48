/**
 * The unit files share one module cache per worker (vitest.config.ts, `isolate: false`): a module
 * mocked with vi.mock is only mocked where it is imported after vi.resetModules(), otherwise an
 * earlier file's real copy is used and the mock silently does nothing (obj-rows.test.ts failed so,
 * depending on which file ran before it in the worker).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

describe('unit files that mock a module', () => {
  test('import what uses the mock afresh, after vi.resetModules()', () => {
    const files = testFiles(root).filter((f) => /\bvi\.mock\(/.test(readFileSync(f, 'utf8')));
    expect(files.length).toBeGreaterThan(0);
    const without = files.filter((f) => !/\bvi\.resetModules\(\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(without).toEqual([]);
  });
});
