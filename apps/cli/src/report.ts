import { crossEntropy } from '@fovea/core';
import { DataLoader, MNIST } from '@fovea/data';
import { ConfusionMatrix, evaluate, type Logs, type TrainableModel } from '@fovea/train';
import type { MnistSplit } from './mnist.js';
import { line, type Output } from './output.js';

/** Evaluates on the test split and prints accuracy, top-5, loss and the confusion matrix. */
export async function testReport(model: TrainableModel, test: MnistSplit['test'], batchSize: number, out: Output): Promise<Logs> {
  const confusion = new ConfusionMatrix(10, MNIST.classes);
  const loader = new DataLoader(test, { batchSize });
  const result = await evaluate(model, loader, { metrics: ['accuracy', 'top5'], loss: crossEntropy, confusion });
  const pct = (v: number | undefined) => `${((v ?? NaN) * 100).toFixed(2)}%`;
  line(out.stdout, `test accuracy ${pct(result.accuracy)} on ${test.length} images (top-5 ${pct(result.top5)}, loss ${result.loss?.toFixed(4)})`);
  line(out.stdout, confusion.format());
  return result;
}
