/**
 * CSP-safe replacement for apache-arrow's `builder/valid.mjs` (swapped in by vite.config.ts):
 * the original compiles its null check with `new Function`, which the app's CSP (no
 * 'unsafe-eval') forbids. Same semantics: `===` against the null values, NaN checked apart.
 */
export function createIsValidFunction(nullValues?: readonly unknown[]): (value: unknown) => boolean {
  if (!nullValues || nullValues.length <= 0) return () => true;
  const hasNaN = nullValues.some((x) => x !== x);
  const nulls = new Set(nullValues.filter((x) => x === x));
  return (x) => !(hasNaN && x !== x) && !nulls.has(x);
}
