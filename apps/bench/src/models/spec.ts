/**
 * Framework-neutral network descriptions, interpreted by each benchmark row (Fovea, TF.js, ONNX),
 * so every row runs the same architecture with the same random weights. Inference graphs have
 * batch norm folded into the convolutions (conv + bias), as every peer does at load time.
 */
export type Layer =
  | { kind: 'conv'; name: string; cin: number; cout: number; k: number; stride: number; pad: number; relu: boolean }
  | { kind: 'maxpool'; k: number; stride: number; pad: number }
  /** relu(body(x) + shortcut(x)); an empty shortcut is the identity. */
  | { kind: 'residual'; body: Layer[]; shortcut: Layer[] }
  /** SqueezeNet's fire module: concat(expand1x1(s), expand3x3(s)) with s = squeeze(x), all ReLU. */
  | { kind: 'fire'; squeeze: Layer; expand1: Layer; expand3: Layer }
  /** Global average pooling to [N, C]. */
  | { kind: 'gap' }
  | { kind: 'linear'; name: string; cin: number; cout: number };

export interface Network {
  name: string;
  input: [number, number, number, number];
  layers: Layer[];
}

export function conv(name: string, cin: number, cout: number, k: number, stride = 1, pad = 0, relu = true): Layer {
  return { kind: 'conv', name, cin, cout, k, stride, pad, relu };
}

/** Every conv and linear layer, in order, for weight generation. */
export function parameterLayers(layers: readonly Layer[]): Extract<Layer, { kind: 'conv' | 'linear' }>[] {
  return layers.flatMap((l) => {
    if (l.kind === 'conv' || l.kind === 'linear') return [l];
    if (l.kind === 'residual') return [...parameterLayers(l.body), ...parameterLayers(l.shortcut)];
    if (l.kind === 'fire') return parameterLayers([l.squeeze, l.expand1, l.expand3]);
    return [];
  });
}

/** Weights in PyTorch layout: conv [O, C, K, K], linear [out, in], and a bias per output. */
export interface Weights {
  weight: Float32Array;
  bias: Float32Array;
}

/** Deterministic He-uniform weights (a small LCG: the same numbers in every row). */
export function makeWeights(net: Network, seed = 1): Map<string, Weights> {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const out = new Map<string, Weights>();
  for (const l of parameterLayers(net.layers)) {
    const fanIn = l.kind === 'conv' ? l.cin * l.k * l.k : l.cin;
    const scale = 2 * Math.sqrt(6 / fanIn);
    const weight = Float32Array.from({ length: l.cout * fanIn }, () => next() * scale);
    const bias = Float32Array.from({ length: l.cout }, () => next() * 0.1);
    out.set(l.name, { weight, bias });
  }
  return out;
}

/** Deterministic input values in [-1, 1). */
export function makeInput(shape: readonly number[], seed = 7): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}
