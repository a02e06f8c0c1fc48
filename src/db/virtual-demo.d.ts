/** The demo's typed tables (src/db/demo-arrow.ts): the built file's URL, or null on the dev server. */
declare module 'virtual:demo-tables' {
  const url: string | null;
  export default url;
}
