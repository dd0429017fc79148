export { LocalObjectStore } from './local-object-store.ts';
