import { FoveaError } from '@fovea/core';

/**
 * A dataset file or folder that is missing, truncated or corrupt, or an image that cannot be
 * decoded or does not match what was asked for. The message names the file and what was wrong.
 */
export class DatasetError extends FoveaError {}
