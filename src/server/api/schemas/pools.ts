import { z } from '@hono/zod-openapi';
import { POOL_NAME } from '../../../store/admin/index.ts';
import { bodyOf, name } from '../schema-kit.ts';

/** Pools, as Airflow's REST API has them. */

export const MAX_SLOTS = 1_000_000;

export const PoolSchema = z
  .object({
    name: z.string(),
    slots: z.number().int(),
    description: z.string(),
    running_slots: z.number().int().openapi({ description: 'slots its running task instances take' }),
    queued_slots: z
      .number()
      .int()
      .openapi({ description: 'slots its task instances ready to run would take' }),
    open_slots: z.number().int(),
  })
  .openapi('Pool');

const SLOTS_WANTED = `must be a whole number from 0 to ${MAX_SLOTS}`;
const slots = () =>
  z
    .number({ error: (iss) => (iss.input === undefined ? 'is required' : SLOTS_WANTED) })
    .int({ error: SLOTS_WANTED })
    .min(0, { error: SLOTS_WANTED })
    .max(MAX_SLOTS, { error: SLOTS_WANTED });
const description = () =>
  z
    .string({ error: 'must be text of at most 1000 characters' })
    .max(1000, { error: 'must be text of at most 1000 characters' })
    .nullish()
    .transform((v) => v ?? undefined);

export const PoolBodySchema = bodyOf('PoolBody', {
  name: name(250, POOL_NAME, 'must be letters, digits, _ . or -'),
  slots: slots(),
  description: description(),
});

/** PATCH: `name` may be given only as the pool's own (a pool cannot be renamed). */
export const PoolPatchSchema = bodyOf('PoolPatch', {
  name: z.string({ error: 'must be a string' }).optional(),
  slots: slots()
    .nullish()
    .transform((v) => v ?? undefined),
  description: description(),
});
