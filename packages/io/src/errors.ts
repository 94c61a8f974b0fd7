import { FoveaError } from '@fovea/core';

/**
 * A safetensors file (or stream) that breaks the format: a header too large or not JSON, a dtype
 * we do not know, offsets outside the data or overlapping, truncated data. The message names the
 * source and the tensor.
 */
export class SafetensorsError extends FoveaError {}
