/**
 * The build-time change to DuckDB-WASM's start-up glue (src/db/duckdb-glue.ts): the installed
 * blocking bundle has the step that puts every export into the offset table, twice (MVP and EH
 * glue), and after the change it fills only entries that already exist (those a module imports).
 * The patched updateGOT is run on a stand-in of three exports, one of them imported.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { GOT_EVERY_EXPORT, GOT_IMPORTED_ONLY, LOOPS, patchDuckdbGlue } from '../../../src/db/duckdb-glue';

const bundle = readFileSync(new URL('../../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url), 'utf8');

/** The glue's updateGOT as the bundle writes it, from its definition to the end of the arrow function. */
const updateGotSource = (code: string): string => {
  const start = code.indexOf('updateGOT=(e,r)=>{');
  const end = code.indexOf(',relocateExports=', start);
  return code.slice(start + 'updateGOT='.length, end);
};

describe('DuckDB-WASM start-up glue', () => {
  test('the installed bundle fills the offset table for every export, and the patch changes both copies', () => {
    expect(bundle.split(GOT_EVERY_EXPORT).length - 1).toBe(2);
    const patched = patchDuckdbGlue(bundle);
    expect(patched.includes(GOT_EVERY_EXPORT)).toBe(false);
    expect(patched.split(GOT_IMPORTED_ONLY).length - 1).toBe(2);
    const shorter = [[GOT_EVERY_EXPORT, GOT_IMPORTED_ONLY], ...LOOPS].reduce((n, [from, to]) => n + 2 * (from.length - to.length), 0);
    expect(patched.length).toBe(bundle.length - shorter);
    for (const [from, to] of LOOPS) expect([patched.includes(from), patched.split(to).length - 1]).toEqual([false, 2]);
  });

  test('the lighter loops register the same dynCall symbols and imports, and the signature conversions wrap the same exports', () => {
    /** The bundle's registerDynCallSymbols, mergeLibSymbols and applySignatureConversions over stand-ins. */
    const run = (code: string) => {
      const start = code.indexOf('registerDynCallSymbols=e=>{');
      const register = code.slice(start, code.indexOf('}', start) + 1);
      const mStart = code.indexOf('mergeLibSymbols=(e,r)=>{');
      const merge = code.slice(mStart, code.indexOf('},asyncLoad=', mStart) + 1);
      const aStart = code.indexOf('function applySignatureConversions(e){');
      const apply = code.slice(aStart, code.indexOf(',e}', aStart) + 3);
      const Module: Record<string, unknown> = { dynCall_kept: 'module own' };
      const wasmImports: Record<string, unknown> = { defined: 'import', stubbed: { stub: true } };
      const isSymbolDefined = (s: string) => !!wasmImports[s] && !(wasmImports[s] as { stub?: boolean }).stub;
      const f = new Function('Module', 'wasmImports', 'isSymbolDefined', `var ${register};var ${merge};${apply};return { mergeLibSymbols, applySignatureConversions };`)(
        Module, wasmImports, isSymbolDefined,
      ) as { mergeLibSymbols: (e: Record<string, unknown>, name: string) => void; applySignatureConversions: (e: Record<string, unknown>) => Record<string, unknown> };
      const exports: Record<string, unknown> = { dynCall_vi: 'vi', dynCall_kept: 'export', defined: 'other', stubbed: 'real', plain: 7, malloc: (n: number) => -n };
      f.mergeLibSymbols(exports, 'main');
      const converted = f.applySignatureConversions(exports);
      return {
        module: Module,
        // Functions by what they are (each run makes its own stand-ins).
        imports: Object.fromEntries(Object.entries(wasmImports).map(([k, v]) => [k, typeof v === 'function' ? `fn ${v(3)}` : v])),
        keys: Object.keys(converted),
        malloc: (converted.malloc as (n: number) => number)(5),
        plain: converted.plain,
      };
    };
    const before = run(bundle);
    expect(before.module).toEqual({ dynCall_kept: 'module own', dynCall_vi: 'vi' });
    expect(before.imports).toEqual({ defined: 'import', stubbed: 'real', dynCall_vi: 'vi', dynCall_kept: 'export', plain: 7, malloc: 'fn -3' });
    // malloc's pointer comes back unsigned (-5 >>> 0).
    expect(before.malloc).toBe(4294967291);
    expect(run(patchDuckdbGlue(bundle))).toEqual(before);
  });

  test('after the patch only imported entries are filled; a function gets a table slot, a number its value', () => {
    const run = (code: string) => {
      const GOT: Record<string, { value: number }> = { imported_fn: { value: 0 }, imported_data: { value: 0 } };
      const added: unknown[] = [];
      const addFunction = (f: unknown) => (added.push(f), 100 + added.length);
      const isInternalSym = (s: string) => s === '__wasm_call_ctors';
      const err = (m: string) => {
        throw new Error(m);
      };
      const WebAssembly = { Global: class { value = 0; } };
      const updateGOT = new Function('GOT', 'addFunction', 'isInternalSym', 'err', 'WebAssembly', `return ${updateGotSource(code)}`)(
        GOT, addFunction, isInternalSym, err, WebAssembly,
      ) as (exports: Record<string, unknown>, replace?: boolean) => void;
      const fn = () => 1;
      updateGOT({ imported_fn: fn, imported_data: 4096, other_fn: () => 2, other_data: 8192, __wasm_call_ctors: () => 0 });
      return { names: Object.keys(GOT).sort(), values: Object.fromEntries(Object.entries(GOT).map(([k, v]) => [k, v.value])), added: added.length };
    };
    // Before: every export gets an entry and every exported function a table slot.
    expect(run(bundle)).toEqual({
      names: ['imported_data', 'imported_fn', 'other_data', 'other_fn'],
      values: { imported_fn: 101, imported_data: 4096, other_fn: 102, other_data: 8192 },
      added: 2,
    });
    // After: the two imported entries are filled the same way; nothing else is created.
    expect(run(patchDuckdbGlue(bundle))).toEqual({ names: ['imported_data', 'imported_fn'], values: { imported_fn: 101, imported_data: 4096 }, added: 1 });
  });

  test('a bundle without that step (another DuckDB-WASM version) stops the build', () => {
    expect(() => patchDuckdbGlue('var GOT={};')).toThrow(/glue changed/);
  });
});
