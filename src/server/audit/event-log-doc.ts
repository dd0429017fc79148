import { AUDIT_ACTIONS, AUDIT_MAX_LIMIT } from '../../store/admin/index.ts';

/** GET /eventLogs in the OpenAPI document (openapi.ts): the route, and the schema of its answer. */
export const EVENT_LOGS_ROUTE = {
  method: 'get',
  path: '/eventLogs',
  summary: `The audit log, newest first (admin): filtered by username, action, object (and what is under it), after and before; limit (default 100, at most ${AUDIT_MAX_LIMIT}) and offset`,
  query: ['username', 'action', 'object', 'after', 'before', 'limit', 'offset'],
  ok: 200,
  answer: 'EventLogs',
} as const;

export const EVENT_LOG_SCHEMAS = {
  EventLog: {
    type: 'object',
    required: ['when', 'username', 'address', 'action', 'object', 'fields'],
    properties: {
      when: { type: 'string', format: 'date-time' },
      username: { type: 'string', description: 'who; empty for a failed login with an unknown token' },
      address: { type: 'string', description: "the caller's IP address, or cli" },
      action: { type: 'string', enum: [...AUDIT_ACTIONS] },
      object: {
        type: 'string',
        description: 'a DAG, dag/run, dag/run/task, dag/backfills/id, a pool, connection or user',
      },
      fields: { type: 'object', description: "the request's fields, secrets masked (***)" },
    },
    additionalProperties: false,
  },
  EventLogs: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: { $ref: '#/components/schemas/EventLog' } } },
    additionalProperties: false,
  },
};

/** A route's 2xx answer in the document: its schema when it has one of its own (`answer`). */
export const okAnswer = (answer: string | undefined): unknown =>
  answer
    ? {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${answer}` } } },
      }
    : { description: 'OK (shapes: src/server/api/types.ts)' };
