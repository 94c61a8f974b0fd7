import { FoveaError } from '@fovea/core';

/**
 * A checkpoint that cannot be read or restored: missing, truncated, corrupted, not a Fovea
 * checkpoint, or holding state that does not fit what it is restored into. The message names
 * the file and the problem; `cause` keeps the lower-level error when there is one.
 */
export class CheckpointError extends FoveaError {
  constructor(message: string, cause?: unknown) {
    super(message);
    if (cause !== undefined) this.cause = cause;
  }
}
