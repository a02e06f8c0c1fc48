/**
 * The unit files share one module cache per worker (vitest.config.ts, `isolate: false`), so a
 * module mocked with vi.mock in one file can stay mocked for the files after it: the CI run of
 * a129789 failed yield.test.ts that way (its `breathe` never yielded), after two files had mocked
 * src/indicators/yield. A unit test observes instead (e.g. `breaths.calls` of yield.ts).
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

describe('unit files', () => {
  test('mock no module (the module cache is shared between files)', () => {
    const files = testFiles(root);
    expect(files.length).toBeGreaterThan(100);
    const mocking = files.filter((f) => /\bvi\.(mock|doMock)\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(mocking).toEqual([]);
  });
});
