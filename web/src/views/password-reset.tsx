import { useState, type FormEvent } from 'react';

interface Props {
  readonly username: string;
  readonly busy: boolean;
  /** Sets the password; true when it went through. */
  readonly onReset: (password: string) => Promise<boolean>;
}

/** "Reset password", then an inline password field (masked, never shown back) and Save. */
export function PasswordReset({ username, busy, onReset }: Props) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await onReset(password)) {
      setPassword('');
      setOpen(false);
    }
  };
  if (!open)
    return (
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => setOpen(true)}
        data-testid="user-reset"
      >
        Reset password
      </button>
    );
  return (
    <form
      className="inline"
      onSubmit={(event) => void save(event)}
      aria-label={`New password for ${username}`}
    >
      <input
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        minLength={8}
        autoComplete="new-password"
        aria-label={`New password for ${username}`}
        data-testid="user-new-password"
      />
      <button type="submit" disabled={busy} data-testid="user-reset-save">
        Save
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
