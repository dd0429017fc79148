import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Role } from '../../store/admin/index.ts';
import { ApiErrorSchema } from './schema-kit.ts';

/**
 * A route of /api/v1, defined once: method, path (as OpenAPI writes it), the role it needs
 * (`x-role`, DESIGN §2), what it takes and what it answers. The server validates by it and serves
 * it (routes/*.ts), the role table and the OpenAPI document are read off it, and the web UI's
 * types are its schemas' (api/types.ts).
 */
export type ApiRoute = RouteConfig & {
  readonly 'x-role': Role;
  readonly operationId: string;
  readonly summary: string;
};

export const defineRoute = <const R extends Omit<ApiRoute, 'path'> & { path: string }>(route: R) =>
  createRoute(route);

/** A JSON answer (or body) of `schema`. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON body of `schema`; `required` when the caller must send one (some field is required). */
export const jsonBody = <S extends z.ZodType>(schema: S, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

const error = (description: string) => json(ApiErrorSchema, description);

/** The error answers every route may give (authentication and the role come before the route). */
const ERRORS = {
  400: error('Invalid input: the message names the field'),
  401: error('No or wrong credentials'),
  403: error("The role needed is not the caller's: the message names both"),
  404: error('Unknown id'),
} as const;

/**
 * The answers of a route: `ok` (its success answers), the common errors, and those it may add:
 * 409 when it can conflict, 503 when it reads the warehouse.
 */
export function answers<const OK extends RouteConfig['responses']>(
  ok: OK,
  also: { conflict?: string; warehouse?: boolean } = {},
) {
  return {
    ...ok,
    ...ERRORS,
    ...(also.conflict ? { 409: error(also.conflict) } : {}),
    ...(also.warehouse
      ? { 503: error('The warehouse cannot be read now: the message names its connection') }
      : {}),
  };
}

/** Nothing in the answer: 204. */
export const noContent = (description: string) => ({ 204: { description } }) as const;

export const DagIdParams = z.object({ dag_id: z.string().openapi({ description: 'a DAG id' }) });
export const RunParams = DagIdParams.extend({
  run_id: z.string().openapi({ description: 'a run id (dag_run_id)' }),
});
export const TaskParams = RunParams.extend({ task_id: z.string() });
