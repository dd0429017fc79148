export { Mutex, NamedMutexes } from './mutex.ts';
