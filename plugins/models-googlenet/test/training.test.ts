import test from 'ava';
import '@fovea/backend-js';
import { add, crossEntropy, Generator, models, mul, noGrad, randn, tensor } from '@fovea/core';
import { InputTooSmallError } from '@fovea/vision';
import { GoogLeNet } from '../src/index.js';

const x = randn([2, 3, 32, 32], { generator: new Generator(3) });
const labels = tensor(new Int32Array([1, 4]), [2]);

test('in training the auxiliary heads after 4a and 4d add 0.3× their losses; in eval they are skipped', (t) => {
  const model = new GoogLeNet({ numClasses: 5, dropout: 0, dropoutAux: 0 });
  const { logits, aux } = model.forwardWithAux(x);
  t.deepEqual([logits.shape, ...aux.map((a) => a.shape)], [[2, 5], [2, 5], [2, 5]]);
  const expected = add(crossEntropy(logits, labels), mul(add(crossEntropy(aux[0]!, labels), crossEntropy(aux[1]!, labels)), 0.3));
  const loss = model.loss(x, labels);
  t.true(Math.abs(loss.item() - expected.item()) < 1e-5, `${loss.item()} vs ${expected.item()}`);
  loss.backward();
  t.truthy(model.aux1!.fc2.weight.grad, 'the aux1 head trains');
  t.truthy(model.aux2!.conv.conv.weight.grad, 'the aux2 head trains');
  model.zeroGrad();

  model.eval();
  const evalOut = noGrad(() => model.forwardWithAux(x));
  t.deepEqual(evalOut.aux, []);
  const evalLoss = model.loss(x, labels);
  t.true(Math.abs(evalLoss.item() - crossEntropy(evalOut.logits, labels).item()) < 1e-6, 'eval loss is the main loss only');
  evalLoss.backward();
  t.is(model.aux1!.fc2.weight.grad, null, 'no gradient reaches the aux heads in eval');
  t.deepEqual(Array.from(noGrad(() => model.call(x)).dataSync()), Array.from(evalOut.logits.dataSync()));
  model.dispose();
});

test('without aux heads: torchvision parameter count 6,624,904 and no aux keys', (t) => {
  const model = models.create('googlenet', { auxLogits: false, initWeights: false });
  t.is(model.parameters().reduce((n, p) => n + p.size, 0), 6_624_904);
  t.false([...model.stateDict().keys()].some((k) => k.startsWith('aux')));
  t.deepEqual(model.train().forwardWithAux(x).aux, []);
  model.dispose();
});

test('replaceHead swaps the main and auxiliary heads; too-small input is a typed error naming 15x15', (t) => {
  const model = new GoogLeNet({ numClasses: 1000, initWeights: false });
  model.replaceHead(3);
  t.deepEqual(model.forwardWithAux(x).aux.map((a) => a.shape), [[2, 3], [2, 3]]);
  t.is(model.headParameters().length, 6, 'fc, aux1.fc2 and aux2.fc2 (weight and bias each)');
  const err = t.throws(() => model.call(randn([1, 3, 14, 14])), { instanceOf: InputTooSmallError });
  t.regex(err!.message, /at least 15x15/);
  t.notThrows(() => noGrad(() => model.eval().call(randn([1, 3, 15, 15]))));
  model.dispose();
});

test('transformInput maps ImageNet-normalised input to the (x − 0.5)/0.5 scaling, as torchvision does for its weights', (t) => {
  const plain = new GoogLeNet({ numClasses: 4, auxLogits: false }).eval();
  const transformed = new GoogLeNet({ numClasses: 4, auxLogits: false, transformInput: true }).eval();
  transformed.loadStateDict(plain.stateDict());
  const img = randn([1, 3, 16, 16], { generator: new Generator(9) });
  const values = img.dataSync();
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const manual = tensor(values.map((v, i) => { const c = Math.floor(i / 256); return (v * std[c]! + mean[c]! - 0.5) / 0.5; }), [1, 3, 16, 16]);
  const a = noGrad(() => transformed.call(img)).dataSync();
  const b = noGrad(() => plain.call(manual)).dataSync();
  a.forEach((v, i) => t.true(Math.abs(v - b[i]!) < 1e-5, `${v} vs ${b[i]}`));
});
