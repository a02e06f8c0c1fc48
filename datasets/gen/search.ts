/** Seed search: the seed whose incidental LOW-01 / OBJ-04 flags are fewest (`tsx datasets/gen/search.ts from to`). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemo } from '../generate';
import { PLANTED } from './schools';
import { measure } from './verify';

const [from, to] = process.argv.slice(2).map(Number);
for (let seed = from; seed <= to; seed++) {
  const dir = mkdtempSync(join(tmpdir(), 'demo-seed-'));
  await writeDemo(dir, seed);
  const m = await measure(join(dir, 'canonical'));
  rmSync(dir, { recursive: true, force: true });
  const low = m.low01.map((x) => x.school_id);
  const extraLow = low.filter((s) => !PLANTED.lowSchools.schools.includes(s));
  const missLow = PLANTED.lowSchools.schools.filter((s) => !low.includes(s));
  const extra04 = m.obj04.filter((x) => x.school_id !== PLANTED.cohortJump.school).map((x) => `${x.school_id}:${x.subject[0]}${x.from}`);
  const negSpearman = m.obj.filter((o) => (o.spearman ?? 1) < 0.2 && !PLANTED.inflatedVpr.schools.includes(o.school_id)).map((o) => o.school_id);
  console.log(`seed ${seed}: LOW extra ${extraLow.length} [${extraLow}] miss [${missLow}]; OBJ-04 extra ${extra04.length} [${extra04}]; low spearman [${negSpearman}]`);
}
