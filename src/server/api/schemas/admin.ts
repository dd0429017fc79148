import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../store/admin/index.ts';
import { checkPassword, checkRole, checkUsername } from '../../auth/user-admin.ts';
import { bodyOf, isoTime, messageOf, text } from '../schema-kit.ts';

/** Connections, users, the session and API tokens (DESIGN §2: what each role may do). */

export const ConnectionSchema = z
  .object({
    connection_id: z.string(),
    uri: z.string().openapi({ description: 'the URI with its secrets replaced by ***' }),
    source: z.enum(['stored', 'environment']).openapi({
      description: 'stored in the metadata DB, or a DOWNBEAT_CONN_ environment variable',
    }),
  })
  .openapi('Connection');

export const ConnectionBodySchema = bodyOf('ConnectionBody', {
  connection_id: text(250).regex(/^[A-Za-z0-9_.-]{1,250}$/, { error: 'must be letters, digits, _ . or -' }),
  uri: text(4000).regex(/^[a-z][a-z0-9+.-]*:/i, {
    error: 'must be a URI with a scheme, e.g. s3://bucket/prefix or postgres://host/db',
  }),
});

/** What a user may do: viewer reads, op also runs things, admin also administers. */
export const RoleSchema = z.enum(ROLES, { error: (iss) => messageOf(checkRole, iss.input) }).openapi('Role', {
  description: 'viewer reads; op also triggers, clears, pauses, backfills, marks; admin also administers',
});

/** A check of auth/user-admin.ts as a schema: the same rule, its message. */
const checkedText = (
  check: (value: unknown) => unknown,
  extra: { minLength?: number; description: string },
) =>
  z
    .string({ error: (iss) => messageOf(check, iss.input) })
    .superRefine((value, ctx) => {
      const message = messageOf(check, value);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .openapi(extra);

export const SessionSchema = z
  .object({
    username: z.string(),
    // The session's role (a token's may be lower than its user's). Not described here: a
    // description on a named schema would be the component's.
    role: RoleSchema,
    csrf_token: z.string().openapi({ description: 'sent back as X-CSRF-Token on every change' }),
  })
  .openapi('Session');

export const UserSchema = z
  .object({ username: z.string(), role: RoleSchema, created_at: isoTime() })
  .openapi('User');

export const UserCreatedSchema = UserSchema.pick({ username: true, role: true }).openapi('UserCreated');

const password = () => checkedText(checkPassword, { minLength: 8, description: 'at least 8 characters' });

export const UserBodySchema = bodyOf('UserBody', {
  username: checkedText(checkUsername, { description: '1 to 64 letters, digits or _ . @ -' }),
  role: RoleSchema,
  password: password(),
});

export const UserPatchSchema = bodyOf('UserPatch', { role: RoleSchema });
export const PasswordBodySchema = bodyOf('PasswordBody', { password: password() });

export const TokenBodySchema = bodyOf('TokenBody', {
  role: RoleSchema.optional().openapi({ description: "default the caller's role; at most it" }),
});
export const TokenSchema = z
  .object({ token: z.string().openapi({ description: 'shown once' }), role: RoleSchema })
  .openapi('Token');

/** GET /health (no login needed). */
export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    scheduler: z.object({ alive: z.boolean(), last_heartbeat: isoTime().nullable() }),
  })
  .openapi('Health');
