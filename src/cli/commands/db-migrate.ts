import { loadConfig } from '../../config/index.ts';
import { migrate, openDb } from '../../store/db/index.ts';
import { print, type CliIo } from '../context.ts';
import { parse } from '../args.ts';

export const help = `Usage: downbeat db migrate

Applies the metadata DB's migrations not applied yet (every command also does so at start).
The DB is DOWNBEAT_DATABASE_URL: a SQLite file path or postgres://…; unset, DOWNBEAT_HOME/metadata.sqlite.`;

export async function dbMigrate(args: readonly string[], io: CliIo): Promise<number> {
  parse(args, {});
  const config = loadConfig(io.env);
  const db = openDb(config.databaseUrl, config.home);
  try {
    const applied = await migrate(db);
    print(
      io.stdout,
      applied.length > 0
        ? `applied migrations ${applied.join(', ')} to ${db.location}`
        : `${db.location} is up to date`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
