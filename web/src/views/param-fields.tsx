import type { DagParam } from '../api.ts';

/** A param's value as its form field holds it: text, or a checkbox's state. */
export type ParamValue = string | boolean;

/** The fields' first values: each param's default, else empty. */
export function initialValues(params: Readonly<Record<string, DagParam>>): Record<string, ParamValue> {
  return Object.fromEntries(
    Object.entries(params).map(([name, p]) => [
      name,
      p.type === 'boolean' ? p.default === true : p.default === null ? '' : String(p.default),
    ]),
  );
}

/**
 * The fields as a trigger's conf: numbers as numbers, an empty field left out (its default, or
 * the server names the required param that is missing). The server checks the types.
 */
export function confOf(
  params: Readonly<Record<string, DagParam>>,
  values: Readonly<Record<string, ParamValue>>,
): Record<string, unknown> {
  const conf: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(params)) {
    const value = values[name];
    if (p.type === 'boolean') conf[name] = value === true;
    else if (typeof value === 'string' && value.trim() !== '')
      conf[name] = p.type === 'number' || p.type === 'integer' ? Number(value) : value;
  }
  return conf;
}

interface Props {
  readonly dagId: string;
  readonly params: Readonly<Record<string, DagParam>>;
  readonly values: Readonly<Record<string, ParamValue>>;
  readonly onChange: (name: string, value: ParamValue) => void;
}

/** A DAG's params as a form: a field per param, of its type, with its description. */
export function ParamFields({ dagId, params, values, onChange }: Props) {
  const entries = Object.entries(params);
  if (entries.length === 0) return null;
  return (
    <fieldset className="param-fields" data-testid="trigger-params">
      <legend>Params</legend>
      {entries.map(([name, p]) => {
        const id = `param-${dagId}-${name}`;
        const value = values[name];
        const hint = p.description && <small className="param-hint">{p.description}</small>;
        if (p.type === 'boolean')
          return (
            <div key={name} className="param-field">
              <label htmlFor={id}>
                <input
                  id={id}
                  type="checkbox"
                  checked={value === true}
                  onChange={(event) => onChange(name, event.target.checked)}
                  data-testid={`param-${name}`}
                />{' '}
                {name}
              </label>
              {hint}
            </div>
          );
        return (
          <div key={name} className="param-field">
            <label htmlFor={id}>
              {name}
              {p.required && p.default === null ? ' (required)' : ''}
            </label>
            {p.type === 'enum' ? (
              <select
                id={id}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => onChange(name, event.target.value)}
                data-testid={`param-${name}`}
              >
                {p.default === null && <option value="">—</option>}
                {(p.values ?? []).map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={p.type === 'string' ? 'text' : 'number'}
                step={p.type === 'integer' ? 1 : 'any'}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => onChange(name, event.target.value)}
                data-testid={`param-${name}`}
              />
            )}
            {hint}
          </div>
        );
      })}
    </fieldset>
  );
}
