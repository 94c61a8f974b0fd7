import '@fovea/backend-js';
import test from 'ava';
import { manualSeed, memory, tensor } from '@fovea/core';
import { BatchNorm1d, Linear, Sequential, StateDictError } from '@fovea/nn';
import { encodeSafetensors, loadSafetensors, loadWeights } from '../src/index.js';

const model = (seed: number) => {
  manualSeed(seed);
  return new Sequential(new Linear(3, 2), new BatchNorm1d(2));
};

/** float32 → IEEE half bits, for values that are exact in half precision. */
function half(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const e = Math.floor(Math.log2(Math.abs(v)));
  return sign | ((e + 15) << 10) | Math.round((Math.abs(v) / 2 ** e - 1) * 1024);
}

test.serial('weights saved from one model load into another by state_dict name', async (t) => {
  const source = model(1);
  const target = model(2);
  t.notDeepEqual(target.stateDict().get('0.weight')!.toArray(), source.stateDict().get('0.weight')!.toArray());
  const before = memory().numTensors;
  const report = await loadWeights(target, await encodeSafetensors(source.stateDict()));
  t.deepEqual(report, { missing: [], unexpected: [], mismatched: [] });
  for (const [key, value] of source.stateDict()) t.deepEqual(target.stateDict().get(key)!.toArray(), value.toArray(), key);
  t.is(memory().numTensors, before, 'the file tensors are freed');
});

test('a torchvision-style file with float16 weights and an int64 counter loads as float32/int32', async (t) => {
  const weights = [0.5, -1, 2, 0.25, 0, -0.125];
  const file = await encodeSafetensors({
    '0.weight': { dtype: 'F16', shape: [2, 3], data: new Uint8Array(Uint16Array.from(weights, half).buffer) },
    '0.bias': { dtype: 'BF16', shape: [2], data: new Uint8Array(new Uint16Array([0x3f80, 0xc000]).buffer) },
    '1.weight': tensor([1, 1]),
    '1.bias': tensor([0, 0]),
    '1.running_mean': tensor([0.1, 0.2]),
    '1.running_var': tensor([1, 2]),
    '1.num_batches_tracked': { dtype: 'I64', shape: [], data: new Uint8Array(new BigInt64Array([17n]).buffer) },
  });
  const target = model(3);
  await loadWeights(target, file);
  const sd = target.stateDict();
  t.deepEqual(sd.get('0.weight')!.toArray(), [[0.5, -1, 2], [0.25, 0, -0.125]]);
  t.deepEqual(sd.get('0.bias')!.toArray(), [1, -2]);
  t.is(sd.get('1.num_batches_tracked')!.item(), 17);
  t.is(sd.get('1.num_batches_tracked')!.dtype, 'int32');
});

test('missing, unexpected and mis-shaped keys are reported and leave the model unchanged', async (t) => {
  const target = model(4);
  const snapshot = [...target.stateDict()].map(([k, v]) => [k, v.toArray()]);
  const sd = new Map(source4Without('0.bias'));
  sd.set('0.weight', tensor([[1, 2]]));
  sd.set('head.weight', tensor([1]));
  const e = await t.throwsAsync(loadWeights(target, await encodeSafetensors(sd)), { instanceOf: StateDictError });
  t.regex(e!.message, /missing keys: 0\.bias/);
  t.regex(e!.message, /unexpected keys: head\.weight/);
  t.regex(e!.message, /0\.weight \(expected \[2, 3\], got \[1, 2\]\)/);
  t.deepEqual([...target.stateDict()].map(([k, v]) => [k, v.toArray()]), snapshot);
  const lenient = await loadWeights(target, await encodeSafetensors(source4Without('0.bias')), { strict: false });
  t.deepEqual(lenient.missing, ['0.bias']);
});

function source4Without(key: string) {
  const sd = model(5).stateDict();
  sd.delete(key);
  return sd;
}

const fixture = new URL('./fixtures/torch-small.safetensors', import.meta.url).pathname;

test('a file written from PyTorch (scripts/export_safetensors.py): every dtype, and the model gives torch\'s output', async (t) => {
  const { tensors, metadata } = await loadSafetensors(fixture);
  const get = (k: string) => tensors.get(`dtypes.${k}`)!.toArray();
  t.deepEqual(get('f64'), [Math.fround(0.1), -1e10]);
  t.deepEqual(get('f16'), [1.5, -2, 65504, 2 ** -24]);
  t.deepEqual(get('bf16'), JSON.parse(metadata.bf16!));
  t.deepEqual(get('i64'), [-3, 2147483647]);
  t.deepEqual(get('i16'), [-300, 300]);
  t.deepEqual(get('i8'), [-128, 127]);
  t.deepEqual(get('u8'), [0, 128, 255]);
  t.deepEqual(get('bool'), [true, false, true]);

  const net = model(6);
  t.deepEqual(await loadWeights(net, fixture, { prefix: 'model.' }), { missing: [], unexpected: [], mismatched: [] });
  t.true((net.stateDict().get('1.num_batches_tracked')!.item()) > 0);
  net.eval();
  const out = net.call(tensor(JSON.parse(metadata.input!))).toArray() as number[][];
  const expected = JSON.parse(metadata.output!) as number[][];
  expected.flat().forEach((v, i) => t.true(Math.abs(out.flat()[i]! - v) < 1e-5, `${out.flat()[i]} vs ${v}`));
});
