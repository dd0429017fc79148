// Lay a DAG out left to right with dagre (the Sugiyama method: ranks, crossing reduction, then
// coordinates), the nodes a fixed size and the edges routed round them. Pure, so that it runs in
// the layout worker (graph-layout.worker.ts) off the main thread: 500 tasks take a few hundred ms.
import { graphlib, layout } from '@dagrejs/dagre';
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  type Layout,
  type LayoutTask,
  type PlacedEdge,
  type PlacedNode,
} from './graph-shape.ts';

export type { Layout, LayoutTask } from './graph-shape.ts';

/** Above this many tasks, ranks come from a tight tree instead of network simplex: 5× faster. */
const SIMPLEX_LIMIT = 200;

type Point = { readonly x: number; readonly y: number };

/** A smooth path through points: straight to the first midpoint, curves through the rest. */
function curve(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const at = (p: Point) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  if (rest.length < 2) return `M${at(first)}${rest.map((p) => ` L${at(p)}`).join('')}`;
  const parts = [`M${at(first)}`];
  for (let i = 0; i < rest.length - 1; i += 1) {
    const [control, next] = [rest[i] as Point, rest[i + 1] as Point];
    const end = i === rest.length - 2 ? next : { x: (control.x + next.x) / 2, y: (control.y + next.y) / 2 };
    parts.push(`Q${at(control)} ${at(end)}`);
  }
  return parts.join(' ');
}

export function layoutDag(tasks: readonly LayoutTask[]): Layout {
  const graph = new graphlib.Graph();
  graph.setGraph({
    rankdir: 'LR',
    nodesep: 18,
    ranksep: 56,
    edgesep: 8,
    marginx: 12,
    marginy: 12,
    ranker: tasks.length > SIMPLEX_LIMIT ? 'tight-tree' : 'network-simplex',
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((task) => task.task_id));
  for (const task of tasks) graph.setNode(task.task_id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const task of tasks) for (const up of task.upstream) if (ids.has(up)) graph.setEdge(up, task.task_id);
  layout(graph);

  // dagre gives a node's centre; the view draws from its top left corner.
  const nodes = tasks.map((task): PlacedNode => {
    const { x, y } = graph.node(task.task_id) as unknown as Point;
    return { id: task.task_id, x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 };
  });
  // An edge leaves its task's right side and enters the next one's left, in the middle, through
  // the bends dagre routed round the nodes between: never into a corner or a top side.
  const centre = (id: string) => graph.node(id) as unknown as Point;
  const edges = graph.edges().map((edge): PlacedEdge => {
    const points = (graph.edge(edge) as { points?: Point[] }).points ?? [];
    const [from, to] = [centre(edge.v), centre(edge.w)];
    const route = [
      { x: from.x + NODE_WIDTH / 2, y: from.y },
      ...points.slice(1, -1),
      { x: to.x - NODE_WIDTH / 2, y: to.y },
    ];
    return { from: edge.v, to: edge.w, d: curve(route) };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { nodes, edges, width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0) };
}
