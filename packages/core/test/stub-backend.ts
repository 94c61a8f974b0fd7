// A deliberately tiny backend for core's own tests: same-shape float32 add/mul/neg and a full
// sum, enough to exercise dispatch, autograd and memory without a real backend package.
import { registerBackend, registerKernels, type Backend, type KernelImpl, type TensorSpec, type TypedArray } from '../src/index.js';

export class StubBackend implements Backend<{ values: TypedArray }> {
  constructor(readonly name: string) {}
  write(values: TypedArray) {
    return { values: values.slice() };
  }
  async read(id: { values: TypedArray }) {
    return id.values.slice();
  }
  readSync(id: { values: TypedArray }) {
    return id.values.slice();
  }
  disposeData(id: { values: TypedArray }) {
    id.values = new Float32Array(0);
  }
}

type Data = { values: Float32Array };
const map = (f: (...v: number[]) => number): KernelImpl => ({ inputs, outputs }) => {
  const out = new Float32Array(outputs[0]!.shape.reduce((a: number, b: number) => a * b, 1));
  const vals = inputs.map((i) => (i.dataId as Data).values);
  for (let k = 0; k < out.length; k++) out[k] = f(...vals.map((v) => v[v.length === 1 ? 0 : k]!));
  return [{ values: out }];
};

export function registerStub(name: string, priority: number, factory?: () => Backend | Promise<Backend>): void {
  registerBackend(name, factory ?? (() => new StubBackend(name)), { priority, replace: true });
  registerKernels(name, {
    add: map((a, b) => a + b),
    mul: map((a, b) => a * b),
    neg: map((a) => -a),
    sum: ({ inputs }) => [{ values: new Float32Array([(inputs[0]!.dataId as Data).values.reduce((a, b) => a + b, 0)]) }],
    expand: map((a) => a),
  }, { replace: true });
}

export type { TensorSpec };
