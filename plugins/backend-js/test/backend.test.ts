import test from 'ava';
import { getBackend, listBackends, listKernels, listOps } from '@fovea/core';
import { JsBackend, kernels } from '../src/index.js';

// docs/PRIMITIVES.md: the primitive ops, then the composite ops a fast backend overrides.
const primitives = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'less', 'equal', 'where', 'cast',
  'sum', 'max', 'argmax', 'transpose', 'expand', 'slice', 'concat', 'pad', 'gather', 'scatterAdd', 'batchMatmul', 'conv2d',
];
const composites = [
  'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool2d', 'avgPool2d', 'maxPool2dGrad', 'avgPool2dGrad',
  'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'fusedConv2d',
];

test('importing the package registers the js backend and a kernel for every primitive and composite op', (t) => {
  t.true(listBackends().includes('js'));
  t.deepEqual(listKernels('js'), [...primitives, ...composites].sort());
  t.deepEqual(Object.keys(kernels).sort(), [...primitives, ...composites].sort());
  t.is(getBackend().name, 'js');
});

test('every kernel names an op core defines', (t) => {
  const ops = new Set(listOps());
  t.deepEqual(Object.keys(kernels).filter((op) => !ops.has(op)), []);
});

test('write copies in, readSync copies out, and memoryInfo tracks live buffers', async (t) => {
  const backend = new JsBackend();
  const source = new Float32Array([1, 2, 3]);
  const spec = { shape: [3], dtype: 'float32' as const };
  const data = backend.write(source, spec);
  source[0] = 9;
  const read = backend.readSync(data, spec);
  t.deepEqual([...read], [1, 2, 3]);
  read[1] = 9;
  t.deepEqual([...(await backend.read(data, spec))], [1, 2, 3]);
  t.deepEqual(backend.memoryInfo(), { heapBuffers: 1, heapBytes: 12 });
  backend.disposeData(data);
  t.deepEqual(backend.memoryInfo(), { heapBuffers: 0, heapBytes: 0 });
});
