import { makeInput, makeWeights, type Layer, type Network, type Weights } from '../models/spec.js';
import { CONV } from '../workloads.js';
import { GraphBuilder } from './graph.js';

function emit(g: GraphBuilder, layers: readonly Layer[], weights: Map<string, Weights>, input: string): string {
  let x = input;
  for (const l of layers) {
    switch (l.kind) {
      case 'conv': {
        const w = weights.get(l.name)!;
        const wName = g.initializer(`${l.name}.weight`, [l.cout, l.cin, l.k, l.k], w.weight);
        const bName = g.initializer(`${l.name}.bias`, [l.cout], w.bias);
        x = g.node('Conv', [x, wName, bName], { kernel_shape: [l.k, l.k], strides: [l.stride, l.stride], pads: [l.pad, l.pad, l.pad, l.pad] });
        if (l.relu) x = g.node('Relu', [x]);
        break;
      }
      case 'maxpool':
        x = g.node('MaxPool', [x], { kernel_shape: [l.k, l.k], strides: [l.stride, l.stride], pads: [l.pad, l.pad, l.pad, l.pad] });
        break;
      case 'residual': {
        const body = emit(g, l.body, weights, x);
        const shortcut = l.shortcut.length ? emit(g, l.shortcut, weights, x) : x;
        x = g.node('Relu', [g.node('Add', [body, shortcut])]);
        break;
      }
      case 'fire': {
        const s = emit(g, [l.squeeze], weights, x);
        x = g.node('Concat', [emit(g, [l.expand1], weights, s), emit(g, [l.expand3], weights, s)], { axis: 1 });
        break;
      }
      case 'gap':
        x = g.node('Flatten', [g.node('GlobalAveragePool', [x])], { axis: 1 });
        break;
      case 'linear': {
        const w = weights.get(l.name)!;
        x = g.node('Gemm', [x, g.initializer(`${l.name}.weight`, [l.cout, l.cin], w.weight), g.initializer(`${l.name}.bias`, [l.cout], w.bias)], { transB: 1 });
        break;
      }
    }
  }
  return x;
}

/** An inference network with the same weights as every other row; input 'x', output 'y'. */
export function networkModel(net: Network, classes: number): Uint8Array {
  const g = new GraphBuilder();
  const y = emit(g, net.layers, makeWeights(net), g.input('x', net.input));
  g.node('Identity', [y], {}, ['y']);
  g.output('y', [net.input[0], classes]);
  return g.model(net.name);
}

/**
 * y = a · b for n×n inputs 'a' and 'b'; with `probe`, y is the strided slice of the product the
 * GPU bench reads back (see gemmProbe), not the whole product.
 */
export function gemmModel(n = 1024, probe?: { begin: number; step: number }): Uint8Array {
  const g = new GraphBuilder();
  const product = g.node('MatMul', [g.input('a', [n, n]), g.input('b', [n, n])], {}, [probe ? 'ab' : 'y']);
  if (probe) {
    const { begin, step } = probe;
    g.node('Slice', [product, g.ints('starts', [begin, begin]), g.ints('ends', [n, n]), g.ints('axes', [0, 1]), g.ints('steps', [step, step])], {}, ['y']);
  }
  const side = probe ? Math.ceil((n - probe.begin) / probe.step) : n;
  g.output('y', [side, side]);
  return g.model('gemm');
}

/** The conv workload: input 'x', weights baked in, no bias. */
export function convModel(): Uint8Array {
  const g = new GraphBuilder();
  const w = g.initializer('w', [...CONV.weight], makeInput(CONV.weight, 2));
  const p = CONV.pad;
  g.node('Conv', [g.input('x', CONV.input), w], { kernel_shape: [3, 3], pads: [p, p, p, p] }, ['y']);
  const [n, , h, wd] = CONV.input;
  g.output('y', [n, CONV.weight[0], h, wd]);
  return g.model('conv');
}
