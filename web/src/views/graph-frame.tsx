import { useLayoutEffect, useRef, useState, type PointerEvent, type ReactNode } from 'react';

interface Props {
  /** The drawing's own size, at 100%. */
  readonly width: number;
  readonly height: number;
  readonly children: (scale: number) => ReactNode;
}

const STEPS = [0.25, 0.35, 0.5, 0.65, 0.8, 1, 1.25, 1.5];
/** Below this a fitted graph's labels are too small to read: it opens at 100%, to scroll. */
const READABLE = 0.8;

/**
 * A graph in a scrolling frame, zoomed (−, +, fit, 100%) and panned by dragging its background or
 * by scrolling. It opens fitted to the frame's width when its labels stay readable, else at 100%.
 */
export function GraphFrame({ width, height, children }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState<number | null>(null);
  const fit = () => {
    const room = (frame.current?.clientWidth ?? width) - 16;
    return Math.min(1, room / Math.max(1, width));
  };
  useLayoutEffect(() => {
    const fitted = fit();
    setScale(fitted >= READABLE ? fitted : 1);
    // Once per drawing: a poll redrawing it keeps the user's zoom.
  }, [width, height]);
  const shown = scale ?? 1;
  const zoom = (to: number) => setScale(Math.min(STEPS.at(-1) ?? 1, Math.max(Math.min(fit(), 0.25), to)));
  const smaller = () => zoom([...STEPS].reverse().find((s) => s < shown - 0.001) ?? shown);
  const larger = () => zoom(STEPS.find((s) => s > shown + 0.001) ?? shown);

  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  const down = (event: PointerEvent<HTMLDivElement>) => {
    const at = frame.current;
    if (!at || event.button !== 0 || (event.target as Element).closest('a')) return;
    drag.current = { x: event.clientX, y: event.clientY, left: at.scrollLeft, top: at.scrollTop };
    at.setPointerCapture(event.pointerId);
  };
  const move = (event: PointerEvent<HTMLDivElement>) => {
    const from = drag.current;
    if (!from || !frame.current) return;
    frame.current.scrollLeft = from.left - (event.clientX - from.x);
    frame.current.scrollTop = from.top - (event.clientY - from.y);
  };
  const up = () => (drag.current = null);

  return (
    <>
      <div className="graph-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={smaller} aria-label="Zoom out" data-testid="graph-zoom-out">
          −
        </button>
        <output data-testid="graph-zoom" aria-live="polite">
          {Math.round(shown * 100)}%
        </output>
        <button type="button" onClick={larger} aria-label="Zoom in" data-testid="graph-zoom-in">
          +
        </button>
        <button type="button" onClick={() => setScale(fit())} data-testid="graph-zoom-fit">
          Fit
        </button>
        <button type="button" onClick={() => setScale(1)} data-testid="graph-zoom-100">
          Actual size
        </button>
      </div>
      <div
        className="graph-scroll"
        ref={frame}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        data-testid="graph-frame"
      >
        {children(shown)}
      </div>
    </>
  );
}
