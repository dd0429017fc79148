import { AUDIT_MAX_LIMIT } from '../../../store/admin/index.ts';
import { answers, defineRoute, json } from '../route-kit.ts';
import { EventLogQuerySchema, EventLogsSchema } from '../schemas/audit.ts';

export const listEventLogs = defineRoute({
  method: 'get',
  path: '/eventLogs',
  operationId: 'listEventLogs',
  summary: `The audit log, newest first (admin): filtered by username, action, object (and what is under it), after and before; limit (default 100, at most ${AUDIT_MAX_LIMIT}) and offset`,
  tags: ['Audit log'],
  'x-role': 'admin',
  request: { query: EventLogQuerySchema },
  responses: answers({ 200: json(EventLogsSchema, 'A page of the audit log') }),
});
