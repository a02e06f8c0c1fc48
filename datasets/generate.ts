/**
 * The demo municipality generator: `npm run datasets` (or `tsx datasets/generate.ts [--out dir] [--seed n]`).
 * Deterministic: the same seed writes byte-identical files. Output (default datasets/demo):
 *   canonical/<table>.csv   the eleven canonical tables (UTF-8, `,`, contract column names)
 *   source/**               the same data in the layouts users receive (ФИС ОКО, РЦОИ, forms)
 *   planted.json            the planted effects and the school ids that carry them
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANONICAL_TABLE_NAMES } from '../src/model/contract';
import { DEMO_SALT, pseudonymize } from '../src/ingest/pseudonym';
import { buildTables, toCsv } from './gen/canonical';
import { buildAchievements, buildActivities, buildGraduates, buildMonitoring } from './gen/extras';
import { plantedJson } from './gen/planted';
import { buildSources } from './gen/sources';
import { buildWorld } from './gen/world';

export const DEFAULT_SEED = 10;

/** Everything the generator writes, as relative path → bytes. */
export async function generateDemo(seed = DEFAULT_SEED): Promise<Map<string, Uint8Array>> {
  const world = buildWorld(seed);
  for (const s of world.students) s.pid = await pseudonymize(DEMO_SALT, [s.surname, s.name, s.patronymic, s.docSeries, s.docNumber, s.school.id]);
  const extras = {
    graduates: buildGraduates(world),
    achievements: buildAchievements(world),
    activities: buildActivities(world),
    monitoring: buildMonitoring(world),
  };
  const tables = buildTables(world, extras);
  const files = new Map<string, Uint8Array>();
  const utf8 = new TextEncoder();
  for (const name of CANONICAL_TABLE_NAMES) files.set(`canonical/${name}.csv`, utf8.encode(toCsv(name, tables[name])));
  files.set('planted.json', utf8.encode(JSON.stringify(plantedJson(seed), null, 2) + '\n'));
  for (const [path, bytes] of buildSources(world, extras)) files.set(`source/${path}`, bytes);
  return files;
}

export async function writeDemo(outDir: string, seed = DEFAULT_SEED): Promise<Map<string, Uint8Array>> {
  const files = await generateDemo(seed);
  rmSync(join(outDir, 'canonical'), { recursive: true, force: true });
  rmSync(join(outDir, 'source'), { recursive: true, force: true });
  for (const [path, bytes] of files) {
    const full = join(outDir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  return files;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = resolve(arg('out') ?? join(dirname(fileURLToPath(import.meta.url)), 'demo'));
  const seed = Number(arg('seed') ?? DEFAULT_SEED);
  const files = await writeDemo(out, seed);
  let bytes = 0;
  for (const b of files.values()) bytes += b.length;
  console.log(`wrote ${files.size} files, ${(bytes / 1e6).toFixed(1)} MB, to ${out}`);
}
