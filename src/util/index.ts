export { Mutex, NamedMutexes } from './mutex.ts';
export { withPoolClient } from './pg-client.ts';
