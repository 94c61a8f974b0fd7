import type { Sequential } from '@fovea/nn';
import { Checkpoint } from '@fovea/train';
import { runConfigOf, type RunConfig } from './config.js';
import { buildModel } from './models.js';

/** Rebuilds the model a `fovea train` checkpoint describes and loads its weights (eval mode). */
export async function loadTrained(path: string): Promise<{ model: Sequential; config: RunConfig }> {
  const checkpoint = await Checkpoint.read(path);
  try {
    const config = runConfigOf(checkpoint.extra, path);
    const model = buildModel(config.model);
    checkpoint.restore({ model, rng: false });
    model.eval();
    return { model, config };
  } finally {
    checkpoint.dispose();
  }
}
