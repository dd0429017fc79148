/**
 * A DAG's params (Airflow's Params): named, typed values a run takes from its trigger's conf, with
 * defaults. A trigger's conf is checked against them (a wrong one is refused, naming the field);
 * the run's tasks read them, defaults filled in, as `context.params`. Other conf keys pass as is.
 */
import { DownbeatError } from '../errors/index.ts';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

export interface ParamSpec {
  readonly type: ParamType;
  /** Given when a run's conf leaves it out (every scheduled run's does). @default none */
  readonly default?: string | number | boolean;
  /** Shown beside its field in the UI's trigger form. @default none */
  readonly description?: string;
  /** A trigger must give it when it has no default. @default false */
  readonly required?: boolean;
  /** The values an `enum` param may take. */
  readonly values?: readonly string[];
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** A conf field that its param refuses: names the field, what it wanted and what it got. */
export class ParamError extends DownbeatError {
  readonly field: string;

  constructor(dagId: string, field: string, message: string) {
    super('bad_param', `DAG "${dagId}" param "${field}": ${message}`);
    this.field = field;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What is wrong with a DAG's params, for its DagDefinitionError. */
export function paramProblems(params: ParamSpecs, scheduled: boolean): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(params)) {
    if (!NAME.test(name)) problems.push(`param "${name}": a name is letters, digits and _`);
    if (!['string', 'number', 'integer', 'boolean', 'enum'].includes(spec.type))
      problems.push(
        `param "${name}": type "${String(spec.type)}" is not string, number, integer, boolean or enum`,
      );
    if (spec.type === 'enum' && !(spec.values && spec.values.length > 0))
      problems.push(`param "${name}": an enum needs its values`);
    if (spec.default !== undefined) {
      const wrong = typeProblem(spec, spec.default);
      if (wrong) problems.push(`param "${name}": its default ${wrong}`);
    }
    if (spec.required && spec.default === undefined && scheduled)
      problems.push(`param "${name}" is required and has no default, so a scheduled run could not have it`);
  }
  return problems;
}

/**
 * A trigger's conf checked against the params, their defaults filled in: throws ParamError for a
 * field of the wrong type or a required one left out.
 */
export function resolveConf(
  dagId: string,
  params: ParamSpecs,
  conf: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const resolved: Record<string, unknown> = { ...conf };
  for (const [name, spec] of Object.entries(params)) {
    const given = conf[name];
    if (given === undefined || given === null) {
      if (spec.default !== undefined) resolved[name] = spec.default;
      else if (spec.required) throw new ParamError(dagId, name, 'is required');
      continue;
    }
    const wrong = typeProblem(spec, given);
    if (wrong) throw new ParamError(dagId, name, wrong);
  }
  return resolved;
}

/** The params a run's tasks read: its conf's values of the declared params, else their defaults. */
export function paramsOf(
  params: ParamSpecs,
  conf: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([name, spec]) => [name, conf[name] ?? spec.default ?? null]),
  );
}

function typeProblem(spec: ParamSpec, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, got ${shown}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `must be a number, got ${shown}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `must be a whole number, got ${shown}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${shown}`;
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value)
        ? undefined
        : `must be one of ${(spec.values ?? []).join(', ')}, got ${shown}`;
  }
}
