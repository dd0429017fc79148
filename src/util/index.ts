export { Mutex, NamedMutexes } from './mutex.ts';
export { inPoolTransaction, withPoolClient } from './pg-client.ts';
