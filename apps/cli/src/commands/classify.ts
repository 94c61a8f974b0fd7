import { readFile } from 'node:fs/promises';
import { models } from '@fovea/core';
import { decodeImage } from '@fovea/data';
import { loadWeights } from '@fovea/io';
import { classify, type ImageClassifier } from '@fovea/vision';
import '@fovea/models-resnet';
import '@fovea/models-googlenet';
import '@fovea/models-squeezenet';
import '@fovea/models-classic';
import '@fovea/models-densenet';
import { allowFlags, intFlag, positionals, stringFlag, type CommandLine } from '../args.js';
import { announceBackend } from '../backends.js';
import { UsageError } from '../errors.js';
import { line, type Output } from '../output.js';

/**
 * `fovea classify --model NAME --weights FILE IMAGE [--topk K]`: a zoo model (torchvision names)
 * with weights from a safetensors file — e.g. torchvision's, exported by name — classifies a PNG
 * or JPEG with ImageNet preprocessing, printing the top K classes.
 */
export async function classifyCommand(cmd: CommandLine, out: Output): Promise<void> {
  allowFlags(cmd, ['backend', 'model', 'weights', 'topk']);
  const [imagePath] = positionals(cmd, ['image']);
  const name = stringFlag(cmd, 'model');
  const weights = stringFlag(cmd, 'weights');
  const zoo = models.list().filter((n) => n !== 'lenet5');
  if (!name || !zoo.includes(name)) throw new UsageError(`${name ? `unknown model '${name}'` : '--model NAME is required'}; models: ${zoo.join(', ')}`);
  if (!weights) throw new UsageError('--weights FILE is required (a safetensors file with the model\'s state_dict names)');
  const topk = intFlag(cmd, 'topk', 5);
  await announceBackend(cmd, out);
  const model = models.create(name, { initWeights: false }) as ImageClassifier;
  await loadWeights(model, weights);
  const image = decodeImage(await readFile(imagePath!), imagePath!);
  const [predictions] = classify(model, image, { topk: Math.min(topk, model.numClasses) });
  line(out.stdout, `${imagePath}:`);
  predictions!.forEach((p, i) => line(out.stdout, `  ${i + 1}. ${p.label} (class ${p.index}) ${(p.probability * 100).toFixed(1)}%`));
}
