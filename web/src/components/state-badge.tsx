import { stateLabel } from '../lib/states.ts';

/** A state as a coloured pill with its name: colour is never the only signal. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge state-${state}`} data-state={state}>
      {stateLabel(state)}
    </span>
  );
}
