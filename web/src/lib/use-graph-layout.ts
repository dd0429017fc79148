// The graph view's layout, made in a worker (dagre takes ~0.3 s for 500 tasks: it must not freeze
// the page) and kept per DAG shape, so that a poll, a run chosen or a page come back to draws at once.
import { useEffect, useState } from 'react';
import type { Layout, LayoutTask } from './graph-shape.ts';
import type { LayoutReply, LayoutRequest } from './graph-layout.worker.ts';

export type LayoutState =
  | { readonly state: 'pending' }
  | { readonly state: 'done'; readonly layout: Layout; readonly ms: number }
  | { readonly state: 'failed'; readonly error: string };

const made = new Map<string, LayoutState>();
/** Layouts asked of the worker and not back yet: one request per shape. */
const asking = new Map<string, Promise<void>>();
const MADE_LIMIT = 20;
let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, (reply: LayoutReply) => void>();

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./graph-layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<LayoutReply>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    };
    worker.onerror = (event) => {
      for (const [id, resolve] of waiting)
        resolve({ id, error: event.message || 'the layout worker failed' });
      waiting.clear();
      worker = undefined;
    };
  }
  return worker;
}

function request(tasks: readonly LayoutTask[]): Promise<LayoutReply> {
  const id = (nextId += 1);
  const message: LayoutRequest = {
    id,
    tasks: tasks.map((task) => ({ task_id: task.task_id, upstream: [...task.upstream] })),
  };
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    layoutWorker().postMessage(message);
  });
}

/** The DAG's shape as a key: its tasks and their upstream, in order. */
const shapeOf = (tasks: readonly LayoutTask[]) =>
  JSON.stringify(tasks.map((task) => [task.task_id, task.upstream]));

export function useGraphLayout(tasks: readonly LayoutTask[]): LayoutState {
  const shape = shapeOf(tasks);
  const [, setDone] = useState(0);
  useEffect(() => {
    if (made.has(shape)) return;
    let current = true;
    let asked = asking.get(shape);
    if (!asked) {
      asked = request(tasks).then((reply) => {
        asking.delete(shape);
        if (made.size >= MADE_LIMIT) made.delete(made.keys().next().value ?? '');
        made.set(
          shape,
          'error' in reply
            ? { state: 'failed', error: reply.error }
            : { state: 'done', layout: reply.layout, ms: reply.ms },
        );
      });
      asking.set(shape, asked);
    }
    void asked.then(() => {
      if (current) setDone((n) => n + 1);
    });
    return () => {
      current = false;
    };
    // `shape` stands for `tasks`: a new array of the same DAG needs no new layout.
  }, [shape]);
  return made.get(shape) ?? { state: 'pending' };
}
