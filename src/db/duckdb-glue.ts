/**
 * A build-time change to DuckDB-WASM's start-up glue (Emscripten's dynamic linker), applied by
 * vite.config.ts to the blocking bundle the database worker runs.
 *
 * DuckDB's wasm is built as a main module that side modules (extensions) may link against, so
 * after instantiation the glue puts every one of its 75 011 exports into a global offset table:
 * a WebAssembly.Global each, and a table slot for each of the 65 167 functions, then walks that
 * table again for unresolved entries. A profile of the warm reload put ≈1 s of the worker's
 * start there (updateGOT, reportUndefinedSymbols, addFunction), about a quarter of the engine's
 * start. The main module itself imports 268 entries (`GOT.mem`, `GOT.func`); those are created
 * when it is instantiated, and only they are filled in now. An entry a later side module asks for
 * is created by the same import handler and filled from the exported symbols by the glue's
 * reportUndefinedSymbols, as it does for every symbol that no module exported itself; the app
 * loads no extensions anyway (auto-install and auto-load are off, nothing is fetched).
 */
export const GOT_EVERY_EXPORT = 'GOT[t]||(GOT[t]=new WebAssembly.Global({value:"i32",mutable:!0})),(r||GOT[t].value==0)&&';
export const GOT_IMPORTED_ONLY = 'GOT[t]&&(r||GOT[t].value==0)&&';

/**
 * Three more passes over all 75 011 exports, each the same work written with less allocation (a
 * warm-reload profile after the change above: ≈20 % of the glue's time each in registerDynCallSymbols
 * and mergeLibSymbols, ≈19 % in applySignatureConversions). The two loops walk the keys with
 * `for…in` instead of building an `[key, value]` array per export (and, in mergeLibSymbols, a
 * closure per export): the same own keys of a plain object, in the same order, the same values.
 * applySignatureConversions copied the exports object before wrapping a few of its functions; its
 * one caller (the main module's receiveInstance) passes the object relocateExports has just
 * made and keeps only the result, so it is changed in place.
 */
export const LOOPS: readonly (readonly [string, string])[] = [
  [
    'registerDynCallSymbols=e=>{for(var[r,t]of Object.entries(e))r.startsWith("dynCall_")&&!Module.hasOwnProperty(r)&&(Module[r]=t)}',
    'registerDynCallSymbols=e=>{for(var r in e)r.startsWith("dynCall_")&&!Module.hasOwnProperty(r)&&(Module[r]=e[r])}',
  ],
  [
    'mergeLibSymbols=(e,r)=>{registerDynCallSymbols(e);for(var[t,n]of Object.entries(e))(o=>{isSymbolDefined(o)||(wasmImports[o]=n)})(t)}',
    'mergeLibSymbols=(e,r)=>{registerDynCallSymbols(e);for(var t in e)isSymbolDefined(t)||(wasmImports[t]=e[t])}',
  ],
  ['function applySignatureConversions(e){e=Object.assign({},e);', 'function applySignatureConversions(e){'],
];

/** The blocking bundle with the offset table filled only for the entries modules import, and the lighter loops. */
export function patchDuckdbGlue(code: string): string {
  // The bundle holds the glue twice (the MVP and the exception-handling build's).
  for (const [from] of [[GOT_EVERY_EXPORT], ...LOOPS]) {
    if (code.split(from).length - 1 !== 2) {
      throw new Error(`DuckDB-WASM start-up glue changed: src/db/duckdb-glue.ts no longer finds «${from.slice(0, 40)}…» twice; check the new version and update the patch`);
    }
  }
  let out = code.replaceAll(GOT_EVERY_EXPORT, GOT_IMPORTED_ONLY);
  for (const [from, to] of LOOPS) out = out.replaceAll(from, to);
  return out;
}
