/**
 * The order in which a run computes its definitions, on one lane or two (issue #15). On small data
 * natively each DuckDB connection runs on one thread (run.ts), so a second connection puts the
 * other core to work: lane 1 first computes the definitions marked `sideBySide` (GIA-07: a second
 * and a half of its own statements and statistics), then, like lane 0 all along, the first
 * definition of the run's order that may start and no lane has taken (work sharing: lane 1 idled
 * for ≈1.5 s of the demo catalogue once GIA-07 was done, while lane 0 still ran LOW, OBJ and the rest).
 *
 * Rules that keep the result the same as one lane's:
 * - a definition starts when every definition it depends on (`dependsOn`, within the run) has
 *   finished; a lane takes the first definition that may start, so one that waits for the other
 *   lane (GIA-08, `rowByRow`, for GIA-07) runs as soon as that is done and the rest keep their order;
 * - a reader of the table that is not `rowByRow` (MGR-08) and every definition it reads stay in
 *   place: each starts when every definition before it in the run's order has finished, and none
 *   after it starts before it ends. Their rows then lie at the same places in the table as with one
 *   lane, and MGR-08's means follow the table's layout, not only the order of its components' rows
 *   (GIA-01…06 on the second lane, their rows among PREP's, moved two of its means by 1e-16, also
 *   when MGR-08 itself waited for them). GIA-07 thus starts after PREP-18, and TAL-02 waits for it.
 *   Which lane computes a definition does not matter: both read and write the same tables;
 * - after a failure (a fatal error: the run stops) no lane starts another definition, and the run
 *   waits for both lanes before it reports the failure, so that nothing writes while it cleans up.
 * With one lane (the tab, a large set) the definitions run one after another in the run's order.
 */
import type { IndicatorDef } from './types';

/** Runs `work` for every definition of `ordered` (dependency order) on `lanes` lanes (1 or 2). */
export async function runLanes(ordered: IndicatorDef[], lanes: 1 | 2, work: (def: IndicatorDef, lane: number) => Promise<void>): Promise<void> {
  const inRun = new Set(ordered.map((d) => d.id));
  const finished = new Set<string>();
  const two = lanes === 2 && ordered.some((d) => d.sideBySide);
  // Not yet taken by a lane, in the run's order.
  const left = [...ordered];
  let failure: { error: unknown } | null = null;
  // Resolved whenever a definition finishes or fails: a lane with nothing ready waits for it.
  let wake = (): void => undefined;
  let changed = new Promise<void>((ok) => (wake = ok));
  const signal = () => {
    const woken = wake;
    changed = new Promise<void>((ok) => (wake = ok));
    woken();
  };
  const position = new Map(ordered.map((d, i) => [d.id, i]));
  // The summing readers and what they read: each lies in the table where one lane would put it.
  const summing = ordered.filter((d) => d.dependsOn?.length && !d.rowByRow);
  const inPlace = new Set(summing.flatMap((d) => [d.id, ...d.dependsOn!.filter((id) => inRun.has(id))]).map((id) => position.get(id)!));
  const ready = (d: IndicatorDef) => {
    const at = position.get(d.id)!;
    if (!(d.dependsOn ?? []).every((id) => !inRun.has(id) || finished.has(id))) return false;
    // Nothing starts before an in-place definition ahead of it has finished; one in place waits for everything before it.
    for (const p of inPlace) if (p < at && !finished.has(ordered[p]!.id)) return false;
    return !inPlace.has(at) || ordered.slice(0, at).every((e) => finished.has(e.id));
  };
  // What a lane may take: with two lanes the side definitions are lane 1's, which takes them before anything else.
  const mayTake = (index: number): ((d: IndicatorDef) => boolean) => {
    if (!two) return () => true;
    if (index === 0) return (d) => !d.sideBySide;
    return (d) => !!d.sideBySide || !left.some((e) => e.sideBySide);
  };

  const lane = async (index: number) => {
    const mine = mayTake(index);
    while (left.some(mine) && !failure) {
      const i = left.findIndex((d) => mine(d) && ready(d));
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
  await Promise.allSettled((two ? [0, 1] : [0]).map(lane));
  if (failure) throw (failure as { error: unknown }).error;
}
