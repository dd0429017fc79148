import type { Missing } from './plan.ts';

/** Where a tool is (and what the tests' environment should say about it), or why it is not here. */
export type Lookup =
  { readonly where: string; readonly env?: Readonly<Record<string, string>> } | { readonly why: string };

/** A tool the tests need, the packages that provide it, and how to tell whether it is here. */
export interface Tool extends Missing {
  find(): Lookup;
}
