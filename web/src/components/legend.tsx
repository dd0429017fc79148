import { TASK_STATES, stateLabel } from '../lib/states.ts';

export function Legend() {
  return (
    <ul className="legend" aria-label="State colours" data-testid="legend">
      {TASK_STATES.map((state) => (
        <li key={state}>
          <span className={`swatch state-${state}`} aria-hidden="true" />
          {stateLabel(state)}
        </li>
      ))}
    </ul>
  );
}
