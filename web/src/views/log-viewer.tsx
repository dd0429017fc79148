import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api.ts';

interface Props {
  readonly dagId: string;
  readonly runId: string;
  readonly taskId: string;
  readonly tryNumber: number;
}

interface LogState {
  readonly lines: readonly { readonly line_no: number; readonly text: string }[];
  readonly done: boolean;
  readonly error: string | null;
}

const EMPTY: LogState = { lines: [], done: false, error: null };

/** One try's log, followed: asks for the lines after the last one every second until it is done. */
export function LogViewer({ dagId, runId, taskId, tryNumber }: Props) {
  const [log, setLog] = useState<LogState>(EMPTY);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setLog(EMPTY);
    const controller = new AbortController();
    let after = 0;
    let timer: number | undefined;
    let stopped = false;
    const next = async () => {
      if (stopped) return;
      if (document.hidden) {
        timer = window.setTimeout(() => void next(), 1000);
        return;
      }
      try {
        const chunk = await api.logs(dagId, runId, taskId, tryNumber, after, controller.signal);
        if (stopped) return;
        after = Math.max(after, chunk.last_line_no);
        setLog((old) => ({ lines: [...old.lines, ...chunk.lines], done: chunk.done, error: null }));
        if (chunk.done) return;
      } catch (error) {
        if (stopped) return;
        setLog((old) => ({ ...old, error: errorMessage(error) }));
      }
      timer = window.setTimeout(() => void next(), 1000);
    };
    void next();
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [dagId, runId, taskId, tryNumber]);

  // Follow the end of the log while the reader is already there.
  const atEnd = useRef(true);
  useEffect(() => {
    const element = box.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [log.lines.length]);
  const onScroll = () => {
    const element = box.current;
    if (element) atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };

  return (
    <div className="log" data-testid="log">
      <p className="muted small" role="status" data-testid="log-status" data-done={log.done}>
        {log.done ? `Log complete, ${log.lines.length} lines.` : 'Following the log…'}
      </p>
      {log.error && (
        <p className="error" role="alert">
          {log.error}
        </p>
      )}
      <pre
        ref={box}
        onScroll={onScroll}
        tabIndex={0}
        aria-label={`Log of try ${tryNumber}`}
        data-testid="log-lines"
      >
        {log.lines.length === 0 ? (
          <span className="muted">{log.done ? '(empty log)' : 'No lines yet.'}</span>
        ) : (
          log.lines.map((line) => (
            <span key={line.line_no} className="log-line">
              <span className="line-no" aria-hidden="true">
                {line.line_no}
              </span>
              {line.text}
              {'\n'}
            </span>
          ))
        )}
      </pre>
    </div>
  );
}
