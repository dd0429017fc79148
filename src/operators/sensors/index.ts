export { notYet, resolveSensor, sensorOperator } from './sensor.ts';
export type { Poke, ResolvedSensor, SensorOptions } from './sensor.ts';
export { keysOf, waitForObjects } from './wait-for-objects.ts';
export type { WaitForObjectsOptions } from './wait-for-objects.ts';
export { waitForRun } from './wait-for-run.ts';
export type { WaitForRunOptions } from './wait-for-run.ts';
