import { useMemo, useState, type MouseEvent } from 'react';
import type { DagTask, TaskState } from '../api.ts';
import { NODE_HEIGHT, NODE_WIDTH, type Layout } from '../lib/graph-shape.ts';
import { navigate } from '../lib/router.tsx';
import { STATE_COLOURS, STATE_TEXT, stateLabel } from '../lib/states.ts';

interface Props {
  readonly tasks: readonly DagTask[];
  readonly layout: Layout;
  /** Drawn at this share of its own size (the frame's zoom). */
  readonly scale: number;
  readonly states: ReadonlyMap<string, TaskState>;
  /** Where a task's node links to; null when no run is chosen. */
  readonly href: (taskId: string) => string | null;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function GraphSvg({ tasks, layout, scale, states, href }: Props) {
  const operator = new Map(tasks.map((task) => [task.task_id, task.operator]));
  // A node pointed at or focused lights its own edges and dims the rest: in a big DAG, which
  // lines are its own cannot be told otherwise.
  const [lit, setLit] = useState<string | null>(null);
  // A poll redraws the nodes' states; the edges (a thousand in a big DAG) only when one is lit.
  const edges = useMemo(() => {
    const edgeClass = (from: string, to: string) =>
      lit === null ? 'edge' : from === lit || to === lit ? 'edge lit' : 'edge dim';
    return layout.edges.map((edge) => (
      <path
        key={`${edge.from}->${edge.to}`}
        d={edge.d}
        className={edgeClass(edge.from, edge.to)}
        markerEnd="url(#arrow)"
      />
    ));
  }, [layout, lit]);
  const follow = (event: MouseEvent<Element>, to: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <svg
      className="graph"
      width={Math.round(layout.width * scale)}
      height={Math.round(layout.height * scale)}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="group"
      aria-label="DAG graph"
      data-testid="graph"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="10"
          markerHeight="10"
          markerUnits="userSpaceOnUse"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="#7a8594" />
        </marker>
      </defs>
      {edges}
      {layout.nodes.map((node) => {
        const state = states.get(node.id) ?? 'none';
        const to = href(node.id);
        const label = `${node.id} ${state}`;
        const body = (
          <>
            <title>{`${node.id} (${operator.get(node.id) ?? ''}): ${stateLabel(state)}`}</title>
            <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" className="node-box" />
            <rect width="10" height={NODE_HEIGHT} rx="3" fill={STATE_COLOURS[state]} stroke="#99a" />
            <text x="16" y="18" className="node-label">
              {clip(node.id, 27)}
            </text>
            <text x="16" y="34" className="node-sub">
              {clip(operator.get(node.id) ?? '', 18)}
            </text>
            <rect
              x={NODE_WIDTH - 84}
              y="24"
              width="78"
              height="15"
              rx="7"
              fill={STATE_COLOURS[state]}
              stroke="#99a"
            />
            <text
              x={NODE_WIDTH - 45}
              y="35"
              textAnchor="middle"
              className="node-state"
              fill={STATE_TEXT[state]}
            >
              {clip(stateLabel(state), 13)}
            </text>
          </>
        );
        return (
          <g
            key={node.id}
            transform={`translate(${node.x},${node.y})`}
            data-testid="graph-node"
            data-task-id={node.id}
            data-state={state}
            onPointerEnter={() => setLit(node.id)}
            onPointerLeave={() => setLit(null)}
            onFocus={() => setLit(node.id)}
            onBlur={() => setLit(null)}
          >
            {to ? (
              <a href={to} aria-label={label} className="node-link" onClick={(event) => follow(event, to)}>
                {body}
              </a>
            ) : (
              body
            )}
          </g>
        );
      })}
    </svg>
  );
}
