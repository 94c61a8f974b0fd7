/**
 * @fovea/io — safetensors read/write with an untrusted-header validator, and atomic file writes.
 */
export { SafetensorsError } from './errors.js';
export { floatToBFloat16, floatToHalf, halfToFloat, type SafetensorsDType } from './dtypes.js';
export { DEFAULT_MAX_HEADER_BYTES, type Header, type HeaderOptions, type TensorEntry } from './header.js';
export { decodeHeader, decodeSafetensors, type DecodeOptions, type Safetensors } from './decode.js';
export { loadSafetensors, type SafetensorsSource } from './load.js';
export { encodeSafetensors, saveSafetensors, writeSafetensors, type Metadata, type RawTensor, type SaveOptions, type TensorEntries } from './encode.js';
export { atomicWriteFile, type FileContent } from './atomic-write.js';
export type { ByteSink } from './sink.js';
export { loadWeights, type LoadWeightsOptions, type WeightTarget } from './weights.js';
