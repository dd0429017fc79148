// Lay a DAG out left to right: a task's column is its longest path from a root (topological
// depth); within a column, tasks sit near the mean row of their upstream tasks, to cross fewer edges.

export interface LayoutTask {
  readonly task_id: string;
  readonly upstream: readonly string[];
}

export interface PlacedNode {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path: a cubic curve from the right of `from` to the left of `to`. */
  readonly d: string;
}

export interface Layout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 40;
const ROW_GAP = 18;
const MARGIN = 12;

function depths(tasks: readonly LayoutTask[]): Map<string, number> {
  const byId = new Map(tasks.map((task) => [task.task_id, task]));
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle cannot load, but never loop on bad data
    seen.add(id);
    const ups = byId.get(id)?.upstream.filter((up) => byId.has(up)) ?? [];
    const value = ups.length === 0 ? 0 : 1 + Math.max(...ups.map((up) => visit(up, seen)));
    depth.set(id, value);
    return value;
  };
  for (const task of tasks) visit(task.task_id, new Set());
  return depth;
}

export function layoutDag(tasks: readonly LayoutTask[]): Layout {
  const depth = depths(tasks);
  const columns: string[][] = [];
  for (const task of tasks) {
    const d = depth.get(task.task_id) ?? 0;
    (columns[d] ??= []).push(task.task_id);
  }
  const row = new Map<string, number>();
  const byId = new Map(tasks.map((task) => [task.task_id, task]));
  columns.forEach((column, c) => {
    if (c > 0) {
      const mean = (id: string) => {
        const ups = (byId.get(id)?.upstream ?? []).map((up) => row.get(up) ?? 0);
        return ups.length === 0 ? 0 : ups.reduce((a, b) => a + b, 0) / ups.length;
      };
      column.sort((a, b) => mean(a) - mean(b));
    }
    column.forEach((id, r) => row.set(id, r));
  });

  const tallest = Math.max(1, ...columns.map((column) => column.length));
  const fullHeight = tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const nodes: PlacedNode[] = [];
  columns.forEach((column, c) => {
    const top = (fullHeight - (column.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP)) / 2;
    column.forEach((id, r) => {
      nodes.push({
        id,
        x: MARGIN + c * (NODE_WIDTH + COLUMN_GAP),
        y: MARGIN + top + r * (NODE_HEIGHT + ROW_GAP),
      });
    });
  });

  const at = new Map(nodes.map((node) => [node.id, node]));
  const edges: PlacedEdge[] = [];
  for (const task of tasks) {
    const to = at.get(task.task_id);
    for (const up of task.upstream) {
      const from = at.get(up);
      if (!from || !to) continue;
      const x1 = from.x + NODE_WIDTH;
      const y1 = from.y + NODE_HEIGHT / 2;
      const x2 = to.x - 6;
      const y2 = to.y + NODE_HEIGHT / 2;
      const bend = Math.max(30, (x2 - x1) / 2);
      edges.push({
        from: up,
        to: task.task_id,
        d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      });
    }
  }
  return {
    nodes,
    edges,
    width: MARGIN * 2 + columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: MARGIN * 2 + fullHeight,
  };
}
