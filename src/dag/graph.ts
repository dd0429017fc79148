/** The nodes of a cycle (first node repeated at the end), or undefined when the graph has none. */
export function findCycle(nodes: readonly { id: string; next: readonly string[] }[]): string[] | undefined {
  const next = new Map(nodes.map((n) => [n.id, n.next]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];

  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const child of next.get(id) ?? []) {
      const cycle = visit(child);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };

  for (const node of nodes) {
    const cycle = visit(node.id);
    if (cycle) return cycle;
  }
  return undefined;
}
