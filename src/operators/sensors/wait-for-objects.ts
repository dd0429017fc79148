import { renderTemplate, utcDaysIn, type Operator, type TaskContext } from '../../dag/index.ts';
import { sensorOperator, type SensorOptions } from './sensor.ts';

export interface WaitForObjectsOptions extends SensorOptions {
  /** The object-store connection. */
  readonly connection: string;
  /**
   * Key templates (see renderTemplate), each rendered for every UTC day the run's interval
   * touches, e.g. `log_data/{{ YYYY }}/{{ MM }}/{{ ds }}-events.json`.
   */
  readonly keys: string | readonly string[];
}

/**
 * Airflow's S3KeySensor: waits until every key of the run's interval is in the object store. Its
 * output is the keys it found.
 */
export function waitForObjects(options: WaitForObjectsOptions): Operator {
  const templates = typeof options.keys === 'string' ? [options.keys] : [...options.keys];
  return sensorOperator(
    'wait_for_objects',
    { connection: options.connection, keys: templates },
    options,
    async (context) => {
      const store = await context.connections.objectStore(options.connection);
      const keys = keysOf(templates, context);
      const missing: string[] = [];
      for (const key of keys) if (!(await store.stat(key))) missing.push(key);
      return missing.length === 0
        ? { met: true, detail: `${keys.length} object(s) found in ${store.location}`, output: keys }
        : { met: false, detail: `waiting for ${missing.join(', ')} in ${store.location}` };
    },
  );
}

/** The keys of the run's interval: each template for each UTC day it touches (its logical date's
 * day when the interval is empty, as a triggered DAG's is). */
export function keysOf(templates: readonly string[], context: TaskContext): string[] {
  const days = utcDaysIn(context.dataInterval);
  if (days.length === 0) days.push(context.logicalDate);
  return [...new Set(templates.flatMap((template) => days.map((day) => renderTemplate(template, day))))];
}
