import { z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from '../../../store/admin/index.ts';
import { isoTime, list, optionalDateQuery, wholeNumberInput } from '../schema-kit.ts';

/** The audit log (GET /eventLogs, admin): its filters and its rows. */

/** Every action the log records (store/admin/audit-actions.ts). */
export const AuditActionSchema = z.enum(AUDIT_ACTIONS).openapi('AuditAction');

/** A filter's text in a query: absent or empty is none. */
const filterText = (description: string) =>
  z
    .string()
    .optional()
    .transform((text) => (text === '' ? undefined : text))
    .openapi({ type: 'string', description });

const ACTION_WANTED = `must be one of ${AUDIT_ACTIONS.join(', ')}`;

export const EventLogQuerySchema = z.object({
  username: filterText('who'),
  action: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const action = AUDIT_ACTIONS.find((a) => a === text);
      if (action) return action;
      ctx.issues.push({ code: 'custom', input: text, message: ACTION_WANTED });
      return z.NEVER;
    })
    .openapi({ type: 'string', enum: [...AUDIT_ACTIONS], description: 'one action' }),
  object: filterText('a DAG, pool, connection or user, or a path of one (dag/run): it and what is under it'),
  after: optionalDateQuery(),
  before: optionalDateQuery(),
  limit: wholeNumberInput({ min: 1, max: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT }),
  offset: wholeNumberInput({ min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }),
});

export const EventLogSchema = z
  .object({
    when: isoTime(),
    username: z.string().openapi({ description: 'who; empty for a failed login with an unknown token' }),
    address: z.string().openapi({ description: "the caller's IP address, or cli" }),
    action: AuditActionSchema,
    object: z.string().openapi({
      description: 'a DAG, dag/run, dag/run/task, dag/backfills/id, a pool, connection or user',
    }),
    fields: z
      .record(z.string(), z.unknown())
      .openapi({ description: "the request's fields, secrets masked (***)" }),
  })
  .openapi('EventLog');

/** Newest first. */
export const EventLogsSchema = z.object({ items: list(EventLogSchema) }).openapi('EventLogs');
