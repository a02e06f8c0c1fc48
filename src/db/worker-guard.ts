/**
 * Workers do not inherit the page's Content-Security-Policy, so the database worker refuses any
 * request that would leave the app's origin itself (remote files in SQL, extension downloads).
 * Imported first by the worker's entry (src/db/worker-start.ts), before anything can fetch.
 */
const leavesOrigin = (url: string | URL): boolean => {
  try {
    return new URL(String(url), self.location.href).origin !== self.location.origin;
  } catch {
    return true;
  }
};
const xhrOpen = XMLHttpRequest.prototype.open as (this: XMLHttpRequest, ...args: unknown[]) => void;
XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
  if (leavesOrigin(args[1] as string)) throw new Error(`Запрос за пределы приложения запрещён: ${String(args[1])}`);
  return xhrOpen.apply(this, args);
} as typeof XMLHttpRequest.prototype.open;
const fetchOrig = self.fetch.bind(self);
self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : input;
  if (leavesOrigin(url)) return Promise.reject(new TypeError(`Запрос за пределы приложения запрещён: ${String(url)}`));
  return fetchOrig(input, init);
};

export {};
