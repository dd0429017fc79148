/** Helpers for Sparkify's tests: a checksum of each star table's sorted contents. */
import { createHash } from 'node:crypto';
import type { Warehouse } from '../../src/ports/index.ts';

const TABLES: Record<string, string> = {
  songplays: 'playid',
  users: 'userid',
  songs: 'songid',
  artists: 'artistid',
  '"time"': 'start_time',
};

export async function checksums(warehouse: Warehouse): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const rows = await warehouse.query(`SELECT * FROM ${table} ORDER BY ${key}`);
    sums[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return sums;
}
