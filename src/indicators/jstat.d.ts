// Minimal typing of the parts of jStat used by stats.ts (the package ships no types).
declare module 'jstat' {
  interface Cdf {
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }
  const jStat: {
    studentt: Cdf;
    centralF: Cdf;
    chisquare: Cdf;
    normal: Cdf;
  };
  export default jStat;
}
