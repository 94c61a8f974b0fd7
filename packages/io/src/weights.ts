import type { Tensor } from '@fovea/core';
import type { DecodeOptions } from './decode.js';
import { loadSafetensors, type SafetensorsSource } from './load.js';

/** Anything with PyTorch-style `loadStateDict`, such as an `@fovea/nn` Module. */
export interface WeightTarget<Report> {
  loadStateDict(stateDict: Map<string, Tensor>, options: { strict?: boolean }): Report;
}

export interface LoadWeightsOptions extends DecodeOptions {
  /** Missing and unexpected keys throw too (default true); mis-shaped keys always throw. */
  strict?: boolean;
  /** Use only the tensors whose names start with this (e.g. 'model.' in a checkpoint), without it. */
  prefix?: string;
}

/**
 * Loads a safetensors file into a model by `state_dict` name — torchvision's names as they are,
 * float16/bfloat16 converted to float32, int64 counters to int32. Returns the model's report of
 * missing, unexpected and mis-shaped keys; on error the model is left unchanged (the module's
 * guarantee) and the file's tensors are freed either way.
 */
export async function loadWeights<Report>(model: WeightTarget<Report>, source: SafetensorsSource, options: LoadWeightsOptions = {}): Promise<Report> {
  const prefix = options.prefix ?? '';
  const { tensors } = await loadSafetensors(source, { ...options, select: (name) => name.startsWith(prefix) && (options.select?.(name) ?? true) });
  try {
    return model.loadStateDict(new Map([...tensors].map(([name, t]) => [name.slice(prefix.length), t])), { strict: options.strict ?? true });
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
