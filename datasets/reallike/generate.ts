/**
 * A real-like region's ВПР folder (three years, three ФИС ОКО layouts, КИМ descriptions, two
 * questionnaire layouts), generated on demand — nothing of it is committed:
 *   tsx datasets/reallike/generate.ts --out .cache/reallike [--seed N]
 * Deterministic: the same seed gives byte-identical files. What it holds: datasets/README.md.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kimDescription, kimPath, questionnaire2021, questionnaire2022, resultFile, resultPath } from './files';
import { SEED, buildParticipants, buildSchools, buildWorks, type RealLikeOptions } from './world';

export function buildRealLike(seed = SEED, opts: RealLikeOptions = {}): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const schools = buildSchools(seed);
  for (const work of buildWorks(seed)) {
    files.set(resultPath(work), resultFile(work, buildParticipants(work, schools, seed, opts)));
    files.set(kimPath(work), kimDescription(work));
  }
  files.set('Контекстные данные/Сбор контекстных данных об ОО 2021.xlsx', questionnaire2021(schools));
  files.set('Контекстные данные/Сбор контекстных данных об ОО 2022.xlsx', questionnaire2022(schools));
  return files;
}

export function writeRealLike(outDir: string, seed = SEED, opts: RealLikeOptions = {}): string[] {
  rmSync(outDir, { recursive: true, force: true });
  const paths: string[] = [];
  for (const [path, bytes] of buildRealLike(seed, opts)) {
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    paths.push(full);
  }
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = resolve(arg('out') ?? '.cache/reallike');
  const paths = writeRealLike(out, Number(arg('seed') ?? SEED));
  console.log(`wrote ${paths.length} files to ${out}`);
}
