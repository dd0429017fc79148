import { useState, type ReactNode } from 'react';

interface Props {
  readonly label: string;
  /** What the user is asked to confirm. */
  readonly question: ReactNode;
  readonly onConfirm: () => Promise<void>;
  readonly testId?: string;
}

/** A button that asks once more, inline (no browser dialog), before a change. */
export function ConfirmButton({ label, question, onConfirm, testId }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        onClick={() => void confirm()}
        disabled={busy}
        autoFocus
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </button>
    </span>
  );
}
