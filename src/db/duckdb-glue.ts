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

/** The blocking bundle with the offset table filled only for the entries modules import. */
export function patchDuckdbGlue(code: string): string {
  // The bundle holds the glue twice (the MVP and the exception-handling build's).
  if (!code.includes(GOT_EVERY_EXPORT)) {
    throw new Error('DuckDB-WASM start-up glue changed: src/db/duckdb-glue.ts no longer finds updateGOT; check the new version and update the patch');
  }
  return code.replaceAll(GOT_EVERY_EXPORT, GOT_IMPORTED_ONLY);
}
