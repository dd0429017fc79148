// The graph view's layout, off the main thread: a message of tasks in, their layout and how long it
// took out (or the error's message).
import { layoutDag, type Layout, type LayoutTask } from './graph-layout.ts';

export interface LayoutRequest {
  readonly id: number;
  readonly tasks: readonly LayoutTask[];
}

export type LayoutReply =
  | { readonly id: number; readonly layout: Layout; readonly ms: number }
  | { readonly id: number; readonly error: string };

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { id, tasks } = event.data;
  const started = performance.now();
  let reply: LayoutReply;
  try {
    reply = { id, layout: layoutDag(tasks), ms: performance.now() - started };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
