import * as fv from '@fovea/core';
import { registerWasmBackend, type WasmBackend } from '@fovea/backend-wasm';
import '@fovea/backend-js';
import { Adam } from '@fovea/optim';
import { CIFAR, cifarLabels } from '../models/cifar.js';
import { resnet18 } from '../models/resnet18.js';
import { squeezenet11 } from '../models/squeezenet.js';
import { makeInput, makeWeights, type Layer, type Network } from '../models/spec.js';
import { CONV, type Prepared, type Row, type WorkloadId } from '../workloads.js';

type Params = Map<string, { weight: fv.Tensor; bias: fv.Tensor }>;

function upload(net: Network): Params {
  const params: Params = new Map();
  for (const [name, w] of makeWeights(net)) {
    const layerShape = findShape(net.layers, name);
    params.set(name, { weight: fv.keep(fv.tensor(w.weight, layerShape)), bias: fv.keep(fv.tensor(w.bias, [w.bias.length])) });
  }
  return params;
}

function findShape(layers: readonly Layer[], name: string): number[] {
  for (const l of layers) {
    if ((l.kind === 'conv' || l.kind === 'linear') && l.name === name) return l.kind === 'conv' ? [l.cout, l.cin, l.k, l.k] : [l.cout, l.cin];
    const inner = l.kind === 'residual' ? [...l.body, ...l.shortcut] : l.kind === 'fire' ? [l.squeeze, l.expand1, l.expand3] : [];
    const found = inner.length ? findShape(inner, name) : [];
    if (found.length) return found;
  }
  return [];
}

type ConvLayer = Extract<Layer, { kind: 'conv' }>;

/**
 * act(conv(x) + bias + residual) as one `fusedConv2d`: what ort-web runs after its graph
 * optimisations (Conv+Relu, Conv+Add+Relu fused), from the same weights.
 */
function convLayer(l: ConvLayer, params: Params, x: fv.Tensor, activation: 'none' | 'relu', residual?: fv.Tensor): fv.Tensor {
  const p = params.get(l.name)!;
  return fv.fusedConv2d(x, p.weight, p.bias, { stride: l.stride, padding: l.pad, activation, residual });
}

/** relu(body(x) + shortcut(x)), the add and relu fused into the body's last conv when it has no relu of its own. */
function residual(l: Extract<Layer, { kind: 'residual' }>, params: Params, x: fv.Tensor): fv.Tensor {
  const shortcut = l.shortcut.length ? forward(l.shortcut, params, x) : x;
  const last = l.body[l.body.length - 1];
  if (last?.kind === 'conv' && !last.relu) return convLayer(last, params, forward(l.body.slice(0, -1), params, x), 'relu', shortcut);
  return fv.relu(fv.add(forward(l.body, params, x), shortcut));
}

function forward(layers: readonly Layer[], params: Params, input: fv.Tensor): fv.Tensor {
  let x = input;
  for (const l of layers) {
    switch (l.kind) {
      case 'conv':
        x = convLayer(l, params, x, l.relu ? 'relu' : 'none');
        break;
      case 'maxpool':
        x = fv.maxPool2d(x, { kernelSize: l.k, stride: l.stride, padding: l.pad });
        break;
      case 'residual':
        x = residual(l, params, x);
        break;
      case 'fire': {
        const s = forward([l.squeeze], params, x);
        x = fv.concat([forward([l.expand1], params, s), forward([l.expand3], params, s)], 1);
        break;
      }
      case 'gap':
        x = fv.mean(x, [2, 3]);
        break;
      case 'linear': {
        const p = params.get(l.name)!;
        x = fv.linear(x, p.weight, p.bias);
        break;
      }
    }
  }
  return x;
}

function inference(net: Network): Prepared {
  const params = upload(net);
  const x = fv.keep(fv.tensor(makeInput(net.input), net.input));
  return {
    run: async () => {
      const y = fv.tidy(() => forward(net.layers, params, x));
      await y.data();
      y.dispose();
    },
    dispose: () => {
      x.dispose();
      for (const p of params.values()) fv.dispose([p.weight, p.bias]);
    },
  };
}

function param(shape: number[], fanIn: number): fv.Tensor {
  return fv.keep(fv.mul(fv.randn(shape), Math.sqrt(2 / fanIn)).requiresGrad_());
}

/** One Adam step of the CIFAR CNN (forward, backward, update). */
function trainStep(): Prepared {
  const { conv1, conv2, hidden, flat, classes } = CIFAR;
  const w = {
    c1: param([conv1.cout, conv1.cin, 3, 3], conv1.cin * 9),
    b1: param([conv1.cout], conv1.cin * 9),
    c2: param([conv2.cout, conv2.cin, 3, 3], conv2.cin * 9),
    b2: param([conv2.cout], conv2.cin * 9),
    f1: param([hidden, flat], flat),
    g1: param([hidden], flat),
    f2: param([classes, hidden], hidden),
    g2: param([classes], hidden),
  };
  const params = Object.values(w);
  const opt = new Adam(params, { lr: 1e-3 });
  const x = fv.keep(fv.tensor(makeInput(CIFAR.input), [...CIFAR.input]));
  const labels = fv.keep(fv.tensor(cifarLabels(), [CIFAR.batch], { dtype: 'int32' }));
  return {
    run: async () => {
      const loss = fv.tidy(() => {
        opt.zeroGrad();
        let h = fv.maxPool2d(fv.relu(fv.conv2d(x, w.c1, w.b1, { padding: 1 })), 2);
        h = fv.maxPool2d(fv.relu(fv.conv2d(h, w.c2, w.b2, { padding: 1 })), 2);
        const logits = fv.linear(fv.relu(fv.linear(fv.flatten(h, 1), w.f1, w.g1)), w.f2, w.g2);
        const l = fv.crossEntropy(logits, labels);
        l.backward();
        opt.step();
        return l;
      });
      await loss.data();
      loss.dispose();
    },
    dispose: () => {
      opt.zeroGrad();
      opt.disposeState();
      fv.dispose([...params, x, labels]);
    },
  };
}

function gemm(): Prepared {
  const a = fv.keep(fv.tensor(makeInput([1024, 1024], 1), [1024, 1024]));
  const b = fv.keep(fv.tensor(makeInput([1024, 1024], 2), [1024, 1024]));
  return {
    run: async () => {
      const c = fv.matmul(a, b);
      await c.data();
      c.dispose();
    },
    dispose: () => fv.dispose([a, b]),
  };
}

function conv(): Prepared {
  const x = fv.keep(fv.tensor(makeInput(CONV.input, 1), [...CONV.input]));
  const w = fv.keep(fv.tensor(makeInput(CONV.weight, 2), [...CONV.weight]));
  return {
    run: async () => {
      const y = fv.conv2d(x, w, null, { padding: CONV.pad });
      await y.data();
      y.dispose();
    },
    dispose: () => fv.dispose([x, w]),
  };
}

const PREPARE: Record<WorkloadId, () => Prepared> = {
  gemm,
  conv,
  resnet18: () => inference(resnet18()),
  squeezenet: () => inference(squeezenet11()),
  train: trainStep,
};

/** A row on one Fovea backend; `backend` is activated before each workload is prepared. */
async function foveaRow(name: string, backend: string, threads: (b: fv.Backend) => string): Promise<Row> {
  const instance = await fv.setBackend(backend);
  return {
    name,
    threads: threads(instance),
    prepare: async (workload) => {
      await fv.setBackend(backend);
      fv.manualSeed(0);
      return PREPARE[workload]();
    },
  };
}

function wasmThreads(b: fv.Backend): string {
  const info = (b as WasmBackend).info;
  return `${info.threads}${info.note ? ` (${info.note})` : ''}`;
}

/** fovea-wasm with 1 and `threads` threads (one row when `threads` is 1), and fovea-js. */
export async function foveaRows(threads: number): Promise<Row[]> {
  fv.setLogLevel('silent');
  const wasmRows: Row[] = [];
  for (const n of new Set([1, threads])) {
    registerWasmBackend(`wasm-${n}t`, { threads: n });
    wasmRows.push(await foveaRow(`fovea-wasm (${n} thread${n === 1 ? '' : 's'})`, `wasm-${n}t`, wasmThreads));
  }
  return [...wasmRows, await foveaRow('fovea-js', 'js', () => '1 (JavaScript)')];
}
