import type { ExecutionContext } from 'ava';
import type { Tolerances } from './options.js';

/** One conformance check: a named async test body, run on the backend under test. */
export interface Check {
  readonly name: string;
  run(t: ExecutionContext, tolerances: Tolerances): Promise<void> | void;
}
