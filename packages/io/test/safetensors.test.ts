import '@fovea/backend-js';
import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@fovea/core';
import { decodeSafetensors, encodeSafetensors, floatToHalf, halfToFloat, loadSafetensors, saveSafetensors } from '../src/index.js';
import { bytes, chunked } from './helpers.js';

const sample = () => ({
  'layer1.0.conv1.weight': tensor([1.5, -2.25, 3, 0.125, -0, 1e-8], [1, 2, 3]),
  'fc.bias': tensor([7, -8, 2147483647], [3], { dtype: 'int32' }),
  mask: tensor([true, false, true, true]),
  scalar: tensor(3.5, []),
  empty: tensor([], [0, 4]),
});

test('float32, int32 and bool tensors and metadata round-trip through bytes', async (t) => {
  const file = await encodeSafetensors(sample(), { epoch: '3', format: 'pt' });
  t.is(new DataView(file.buffer).getUint32(0, true) % 8, 0, 'header padded so data is 8-byte aligned');
  const { tensors, metadata } = await decodeSafetensors(file);
  t.deepEqual([...tensors.keys()].sort(), Object.keys(sample()).sort());
  t.deepEqual({ ...metadata }, { epoch: '3', format: 'pt' });
  t.is(Object.getPrototypeOf(metadata), null);
  for (const [name, original] of Object.entries(sample())) {
    const loaded = tensors.get(name)!;
    t.is(loaded.dtype, original.dtype, name);
    t.deepEqual(loaded.shape, original.shape, name);
    t.deepEqual(loaded.toArray(), original.toArray(), name);
  }
});

test('the file layout is the format: header JSON then little-endian data', async (t) => {
  const file = await encodeSafetensors({ a: tensor([1, 2], [2], { dtype: 'int32' }) });
  const n = Number(new DataView(file.buffer).getBigUint64(0, true));
  t.deepEqual(JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))), { a: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } });
  t.deepEqual([...file.subarray(8 + n)], [1, 0, 0, 0, 2, 0, 0, 0]);
});

test('F16, BF16, F64, I64, I16, I8, U8 and BOOL files decode to core dtypes', async (t) => {
  const raw = {
    h: { dtype: 'F16' as const, shape: [6], data: bytes(new Uint16Array([0x3e00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000])) },
    b: { dtype: 'BF16' as const, shape: [2], data: bytes(new Uint16Array([0x3f80, 0xc020])) },
    d: { dtype: 'F64' as const, shape: [2], data: bytes(new Float64Array([0.1, -1e10])) },
    l: { dtype: 'I64' as const, shape: [3], data: bytes(new BigInt64Array([-3n, 2147483647n, -2147483648n])) },
    s: { dtype: 'I16' as const, shape: [2], data: bytes(new Int16Array([-300, 300])) },
    c: { dtype: 'I8' as const, shape: [2], data: bytes(new Int8Array([-128, 127])) },
    u: { dtype: 'U8' as const, shape: [2, 1], data: new Uint8Array([0, 255]) },
    z: { dtype: 'BOOL' as const, shape: [3], data: new Uint8Array([1, 0, 1]) },
  };
  const { tensors } = await decodeSafetensors(await encodeSafetensors(raw));
  const get = (k: string) => tensors.get(k)!;
  t.deepEqual(get('h').toArray(), [1.5, -2, 65504, 2 ** -24, Infinity, -0]);
  t.deepEqual(get('b').toArray(), [1, -2.5]);
  t.deepEqual(get('d').toArray(), [Math.fround(0.1), -1e10]);
  t.is(get('l').dtype, 'int32');
  t.deepEqual(get('l').toArray(), [-3, 2147483647, -2147483648]);
  t.deepEqual(get('s').toArray(), [-300, 300]);
  t.deepEqual(get('c').toArray(), [-128, 127]);
  t.deepEqual(get('u').toArray(), [[0], [255]]);
  t.deepEqual(get('z').toArray(), [true, false, true]);
});

test('halfToFloat covers subnormals, NaN and the largest half', (t) => {
  t.is(halfToFloat(0x03ff), 1023 * 2 ** -24);
  t.is(halfToFloat(0x0400), 2 ** -14);
  t.true(Number.isNaN(halfToFloat(0x7e00)));
  t.is(halfToFloat(0xfbff), -65504);
});

test('save to a path, load from the path, the bytes, a Response, a Blob and a chunked stream', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fovea-io-'));
  const path = join(dir, 'model.safetensors');
  await saveSafetensors(path, new Map(Object.entries(sample())), new Map([['note', 'hi']]));
  const file = new Uint8Array(await readFile(path));
  t.deepEqual(file, await encodeSafetensors(sample(), { note: 'hi' }));
  for (const source of [path, file, file.buffer, new Response(file), new Blob([file]), chunked(file, 5)]) {
    const { tensors, metadata } = await loadSafetensors(source);
    t.is(metadata.note, 'hi');
    t.deepEqual(tensors.get('layer1.0.conv1.weight')!.toArray(), sample()['layer1.0.conv1.weight'].toArray());
    t.deepEqual(tensors.get('fc.bias')!.toArray(), [7, -8, 2147483647]);
  }
});

test('saving into a sink streams the same bytes', async (t) => {
  const chunks: Uint8Array[] = [];
  await saveSafetensors({ write: (c) => chunks.push(c.slice()) }, sample());
  t.true(chunks.length > 1);
  t.deepEqual(new Uint8Array(Buffer.concat(chunks)), await encodeSafetensors(sample()));
});

test('unaligned data (a header not padded to 8 bytes) still decodes', async (t) => {
  const header = JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }) + ' ';
  const json = new TextEncoder().encode(header);
  t.not((8 + json.byteLength) % 4, 0);
  const file = new Uint8Array([...bytes(new BigUint64Array([BigInt(json.byteLength)])), ...json, ...bytes(new Float32Array([0.5, -4]))]);
  const { tensors } = await decodeSafetensors(file);
  t.deepEqual(tensors.get('w')!.toArray(), [0.5, -4]);
});

test('float32 tensors saved as F16 or BF16 round to nearest even and load back as float32', async (t) => {
  const values = [1, -2.5, 65504, 2 ** -24, 0, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 1e-8, 0.1, Infinity, -Infinity];
  const half = await decodeSafetensors(await encodeSafetensors({ w: tensor(values) }, undefined, { floatDType: 'F16' }));
  t.deepEqual(half.tensors.get('w')!.toArray(), [1, -2.5, 65504, 2 ** -24, 0, 1, 1 + 2 ** -9, Infinity, 0, halfToFloat(0x2e66), Infinity, -Infinity]);
  const brain = await decodeSafetensors(await encodeSafetensors({ w: tensor([1, -2.5, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 3e38, 0.1]) }, undefined, { floatDType: 'BF16' }));
  t.deepEqual(brain.tensors.get('w')!.toArray(), [1, -2.5, 1, 1 + 2 ** -6, 3.0040553e38, 0.10009765625].map(Math.fround));
  t.true(Number.isNaN(halfToFloat(floatToHalf(NaN))));
  t.true(Number.isNaN((await decodeSafetensors(await encodeSafetensors({ n: tensor([NaN]) }, undefined, { floatDType: 'BF16' }))).tensors.get('n')!.item()));
  const ints = await decodeSafetensors(await encodeSafetensors({ i: tensor([7], [1], { dtype: 'int32' }) }, undefined, { floatDType: 'F16' }));
  t.is(ints.tensors.get('i')!.dtype, 'int32', 'only float32 tensors change dtype');
  const file = await encodeSafetensors({ w: tensor([1, 2, 3, 4]) }, undefined, { floatDType: 'F16' });
  t.is(file.byteLength, (await encodeSafetensors({ w: tensor([1, 2]) })).byteLength, 'two bytes per element');
});

test('select builds only the tensors asked for, from bytes, paths and streams alike', async (t) => {
  const file = await encodeSafetensors(sample());
  for (const source of [file, new Response(chunked(file, 3)), new Blob([file.slice()])]) {
    const { tensors } = await loadSafetensors(source, { select: (name) => name.startsWith('fc.') || name === 'mask' });
    t.deepEqual([...tensors.keys()], ['fc.bias', 'mask']);
    t.deepEqual(tensors.get('mask')!.toArray(), [true, false, true, true]);
  }
  const cut = file.subarray(0, file.byteLength - 2);
  await t.throwsAsync(loadSafetensors(new Response(chunked(cut, 4)), { select: () => false }), { message: /truncated data/ });
});
