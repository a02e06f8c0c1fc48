declare module 'virtual:ts-frame' {
  /** The sandbox frame's code, one classic script (see vite.config.ts). */
  const code: string;
  export default code;
}
