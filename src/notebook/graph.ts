/** Order of the dataflow graph: units sorted so that each comes after what it reads. */

export interface GraphNode {
  id: string;
  name?: string;
  deps: string[];
  error?: string;
}

/** Topological order; units on a cycle get a Russian error naming the cycle. */
export function topoSort<T extends GraphNode>(units: T[]): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const state = new Map<string, 0 | 1 | 2>();
  const order: string[] = [];
  const visit = (u: T, path: T[]) => {
    const s = state.get(u.id);
    if (s === 2) return;
    if (s === 1) {
      const cycle = path.slice(path.indexOf(u));
      const names = [...cycle, u].map((c) => c.name ?? c.id).join(' → ');
      for (const c of cycle) c.error = `Циклическая зависимость: ${names}`;
      return;
    }
    state.set(u.id, 1);
    for (const d of u.deps) {
      const du = byId.get(d);
      if (du) visit(du, [...path, u]);
    }
    state.set(u.id, 2);
    order.push(u.id);
  };
  for (const u of units) visit(u, []);
  return order;
}

/** Every unit that reads (directly or not) one of `ids`, excluding `ids`, in `order`. */
export function downstreamOf(units: Iterable<GraphNode>, order: string[], ids: string[]): string[] {
  const list = [...units];
  const out = new Set<string>();
  const seeds = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of list) {
      if (out.has(u.id) || seeds.has(u.id)) continue;
      if (u.deps.some((d) => seeds.has(d) || out.has(d))) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return order.filter((id) => out.has(id));
}
