/** fovea-webgpu: the spec networks for inference, the model zoo's ResNet-18 with @fovea/nn and Adam for training. */
import * as fv from '@fovea/core';
import { registration, TILE_CONFIGS, WebGPUBackend, webgpuKernels, type TileName, type TileOverride } from '@fovea/backend-webgpu';
import '@fovea/models-resnet';
import { Adam } from '@fovea/optim';
import { makeInput, makeWeights, parameterLayers, type Network } from '../../models/spec.js';
import { foveaInference } from '../../rows/fovea-net.js';
import type { Prepared, Row } from '../../workloads.js';
import { batchLabels, CHECKED_GRADIENTS, concatOutputs, gemmProbe, type GpuWorkload } from '../workloads.js';

function gemm(n: number): Prepared {
  const a = fv.keep(fv.tensor(makeInput([n, n], 1), [n, n]));
  const b = fv.keep(fv.tensor(makeInput([n, n], 2), [n, n]));
  const { begin, step } = gemmProbe(n);
  const output = async () => {
    const probe = fv.tidy(() => fv.slice(fv.matmul(a, b), [begin, begin], [null, null], [step, step]));
    const values = (await probe.data()) as Float32Array;
    probe.dispose();
    return values;
  };
  return { run: async () => void (await output()), output, dispose: () => fv.dispose([a, b]) };
}

/** The spec's conv and linear weights under torchvision's state-dict names (batch norms keep 1 and 0). */
function specStateDict(net: Network): Map<string, fv.Tensor> {
  const weights = makeWeights(net);
  const dict = new Map<string, fv.Tensor>();
  for (const l of parameterLayers(net.layers)) {
    const w = weights.get(l.name)!;
    if (l.kind === 'linear') {
      dict.set(`${l.name}.weight`, fv.tensor(w.weight, [l.cout, l.cin]));
      dict.set(`${l.name}.bias`, fv.tensor(w.bias, [l.cout]));
    } else {
      // The spec's projection is torchvision's downsample.0 (a conv; downsample.1 is its batch norm).
      const key = l.name.endsWith('.downsample') ? `${l.name}.0` : l.name;
      dict.set(`${key}.weight`, fv.tensor(w.weight, [l.cout, l.cin, l.k, l.k]));
    }
  }
  return dict;
}

/** One Adam step of the zoo's ResNet-18 in training mode (batch norm on batch statistics). */
function trainStep(net: Network): Prepared {
  const model = fv.models.create('resnet18', { initWeights: false });
  const dict = specStateDict(net);
  const report = model.loadStateDict(dict, { strict: false });
  fv.dispose([...dict.values()]);
  if (report.unexpected.length) throw new Error(`the spec's weights do not fit the zoo's resnet18: ${report.unexpected.join(', ')}`);
  model.train();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const x = fv.keep(fv.tensor(makeInput(net.input), net.input));
  const labels = fv.keep(fv.tensor(batchLabels(net.input[0]), [net.input[0]], { dtype: 'int32' }));
  const step = async () => {
    const loss = fv.tidy(() => {
      opt.zeroGrad();
      const l = fv.crossEntropy(model.call(x), labels);
      l.backward();
      opt.step();
      return l;
    });
    await loss.data();
    loss.dispose();
  };
  const weights = model.stateDict();
  // The loss and the checked weight gradients of one forward and backward, without a step.
  const output = async () => {
    opt.zeroGrad();
    const loss = fv.tidy(() => {
      const l = fv.crossEntropy(model.call(x), labels);
      l.backward();
      return l;
    });
    const grads = CHECKED_GRADIENTS.map((layer) => weights.get(`${layer}.weight`)!.grad!);
    const parts = [await loss.data(), ...(await Promise.all(grads.map((g) => g.data())))];
    loss.dispose();
    opt.zeroGrad();
    return concatOutputs(parts);
  };
  return {
    run: step,
    output,
    dispose: () => {
      opt.zeroGrad();
      opt.disposeState();
      model.dispose();
      fv.dispose([x, labels]);
    },
  };
}

export function prepare(w: GpuWorkload): Prepared {
  if (w.kind === 'gemm') return gemm(w.n);
  if (w.kind === 'train') return trainStep(w.net);
  const { run, logits, dispose } = foveaInference(w.net);
  return { run, output: logits, dispose };
}

/**
 * A tile configuration from `--tiles`: a table name, or `t{TX}x{TY}b{rows}x{cols}d{depth}` (the
 * pipeline keys' tag) with `large`'s other fields.
 */
export function parseTiles(spec: string): TileOverride {
  if (spec in TILE_CONFIGS) return spec as TileName;
  const m = /^t(\d+)x(\d+)b(\d+)x(\d+)d(\d+)$/.exec(spec);
  if (!m) throw new Error(`--tiles: '${spec}' is neither ${Object.keys(TILE_CONFIGS).join(', ')} nor t{TX}x{TY}b{rows}x{cols}d{depth}`);
  const [tx, ty, bm, bn, depth] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { ...TILE_CONFIGS.large, name: spec, threads: [tx, ty], block: [bm, bn], depth };
}

/**
 * The row: the registered `webgpu` backend with the adapter's own tile rule, or with `tiles` a
 * second backend on the same adapter with that GEMM tiling (tuning runs compare them side by side).
 */
export async function foveaWebgpuRow(tiles?: string): Promise<Row<GpuWorkload>> {
  const name = tiles ? `fovea-webgpu[${tiles}]` : 'fovea-webgpu';
  const found = registration;
  if (!found.registered) return { name, threads: 'GPU', prepare: async () => ({ skip: found.reason }) };
  fv.setLogLevel('silent');
  const backend = tiles ? `webgpu-${tiles}` : 'webgpu';
  if (tiles) {
    const override = parseTiles(tiles);
    fv.registerKernels(backend, webgpuKernels);
    fv.registerBackend(backend, () => WebGPUBackend.create({ tiles: override, name: backend }), { priority: -1 });
  }
  await fv.setBackend(backend);
  return {
    name,
    threads: `GPU (${found.adapter})`,
    prepare: async (w) => {
      const instance = (await fv.setBackend(backend)) as WebGPUBackend;
      fv.manualSeed(0);
      const prepared = prepare(w);
      if (!('run' in prepared)) return prepared;
      // The next workload's buffer sizes differ: this one's pooled buffers would sit beside them.
      return { ...prepared, dispose: () => (prepared.dispose?.(), instance.emptyCache()) };
    },
  };
}
