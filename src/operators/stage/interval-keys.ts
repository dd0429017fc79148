import { renderTemplate, utcDaysIn, type DataInterval } from '../../dag/index.ts';
import type { IntervalObjects } from './stage-json-options.ts';

/** The keys of the objects an interval reads: one per UTC day it touches, each once, in day order. */
export function intervalKeys(objects: IntervalObjects, interval: DataInterval): string[] {
  return [...new Set(utcDaysIn(interval).map((day) => renderTemplate(objects.key, day)))];
}
