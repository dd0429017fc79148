// What the graph layout takes and gives, and the nodes' size: shared by the view and the layout
// worker without pulling dagre into the page's bundle.

export interface LayoutTask {
  readonly task_id: string;
  readonly upstream: readonly string[];
}

export interface PlacedNode {
  readonly id: string;
  /** The node's top left corner. */
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path through the points dagre routed, from `from`'s border to `to`'s. */
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
