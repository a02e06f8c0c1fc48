/**
 * The order in which a run computes its definitions, on one lane or two (issue #15). On small data
 * natively each DuckDB connection runs on one thread (run.ts), so a second connection puts the
 * other core to work: lane 1 computes the definitions marked `sideBySide` (GIA-07: a second and a
 * half of its own statements and statistics), lane 0 all the others, in the run's order.
 *
 * Rules that keep the result the same as one lane's:
 * - a definition starts when every definition it depends on (`dependsOn`, within the run) has
 *   finished; a lane takes the first definition of its list that may start, so one that waits for
 *   the other lane (GIA-08 for GIA-07) runs as soon as that is done and the rest keep their order;
 * - every definition a reader's sums depend on the row order of (MGR-08: means over its components'
 *   rows) is on lane 0 and keeps its order, so the rows it reads lie in the table as before;
 * - after a failure (a fatal error: the run stops) no lane starts another definition, and the run
 *   waits for both lanes before it reports the failure, so that nothing writes while it cleans up.
 * With one lane (the tab, a large set) the definitions run one after another in the run's order.
 */
import type { IndicatorDef } from './types';

/** Runs `work` for every definition of `ordered` (dependency order) on `lanes` lanes (1 or 2). */
export async function runLanes(ordered: IndicatorDef[], lanes: 1 | 2, work: (def: IndicatorDef, lane: number) => Promise<void>): Promise<void> {
  const inRun = new Set(ordered.map((d) => d.id));
  const finished = new Set<string>();
  const lists = lanes === 2 && ordered.some((d) => d.sideBySide)
    ? [ordered.filter((d) => !d.sideBySide), ordered.filter((d) => d.sideBySide)]
    : [ordered];
  let failure: { error: unknown } | null = null;
  // Resolved whenever a definition finishes or fails: a lane with nothing ready waits for it.
  let wake = (): void => undefined;
  let changed = new Promise<void>((ok) => (wake = ok));
  const signal = () => {
    const woken = wake;
    changed = new Promise<void>((ok) => (wake = ok));
    woken();
  };
  const ready = (d: IndicatorDef) => (d.dependsOn ?? []).every((id) => !inRun.has(id) || finished.has(id));

  const lane = async (list: IndicatorDef[], index: number) => {
    const left = [...list];
    while (left.length && !failure) {
      const i = left.findIndex(ready);
      if (i < 0) {
        await changed;
        continue;
      }
      const [def] = left.splice(i, 1);
      try {
        await work(def!, index);
      } catch (e) {
        failure ??= { error: e };
        throw e;
      } finally {
        finished.add(def!.id);
        signal();
      }
    }
  };
  await Promise.allSettled(lists.map((list, i) => lane(list, i)));
  if (failure) throw (failure as { error: unknown }).error;
}
