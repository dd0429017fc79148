import { createHash } from 'node:crypto';
import { dagSpec, type Dag } from '../../dag/index.ts';

/** A DAG's stored spec, and its version: the first 16 hex digits of the spec's SHA-256. */
export function specAndVersion(dag: Dag): { spec: string; version: string } {
  const spec = JSON.stringify(dagSpec(dag));
  return { spec, version: createHash('sha256').update(spec).digest('hex').slice(0, 16) };
}
