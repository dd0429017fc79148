/**
 * PostgreSQL's server binaries, needed even when a server answers: the restart and chaos tests
 * start clusters of their own (src/store/db/own-cluster.ts), and so may the setup.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable } from './commands.ts';
import type { Tool } from './tool.ts';

const ROOT = '/usr/lib/postgresql';

export const postgresBinaries: Tool = {
  tool: 'PostgreSQL (initdb, pg_ctl, postgres)',
  packages: ['postgresql'],
  find() {
    // The version own-cluster.ts will pick: the last name under /usr/lib/postgresql.
    const version = existsSync(ROOT) ? readdirSync(ROOT).sort().at(-1) : undefined;
    const bin = version === undefined ? undefined : join(ROOT, version, 'bin');
    return bin && ['initdb', 'pg_ctl', 'postgres'].every((tool) => isExecutable(join(bin, tool)))
      ? { where: bin }
      : { why: `no initdb, pg_ctl and postgres in ${ROOT}/<version>/bin` };
  },
};
