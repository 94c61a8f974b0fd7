/**
 * The small CIFAR-10 CNN of the training-step workload, batch 64 of 3×32×32:
 * conv3×3(3→32)+ReLU → maxpool2 → conv3×3(32→64)+ReLU → maxpool2 → linear(4096→128)+ReLU →
 * linear(128→10), softmax cross-entropy, Adam (lr 1e-3).
 */
export const CIFAR = {
  batch: 64,
  input: [64, 3, 32, 32] as const,
  classes: 10,
  conv1: { cin: 3, cout: 32 },
  conv2: { cin: 32, cout: 64 },
  hidden: 128,
  flat: 64 * 8 * 8,
};

/** Labels 0..9 cycling, the same in every row. */
export function cifarLabels(): Int32Array {
  return Int32Array.from({ length: CIFAR.batch }, (_, i) => i % CIFAR.classes);
}
