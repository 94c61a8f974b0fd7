import '@fovea/backend-js';
import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@fovea/core';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../src/index.js';
import { chunked, rawFile } from './helpers.js';

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

/** Every way a source can arrive: bytes, a file path, a streamed Response, a Blob. */
async function loadEveryWay(file: Uint8Array, options = {}): Promise<SafetensorsError[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fovea-io-bad-'));
  const path = join(dir, 'bad.safetensors');
  await writeFile(path, file);
  const errors: SafetensorsError[] = [];
  for (const source of [file, path, new Response(chunked(file, 7)), new Blob([file.slice()])]) {
    try {
      await loadSafetensors(source, options);
    } catch (e) {
      errors.push(e as SafetensorsError);
    }
  }
  return errors;
}

async function rejects(t: import('ava').ExecutionContext, file: Uint8Array, pattern: RegExp, options = {}): Promise<void> {
  const errors = await loadEveryWay(file, options);
  t.is(errors.length, 4, 'every source rejects the file');
  for (const e of errors) {
    t.true(e instanceof SafetensorsError, String(e));
    t.regex(e.message, pattern);
  }
}

test('a header length over the limit is rejected before reading it', async (t) => {
  const file = new Uint8Array(16);
  new DataView(file.buffer).setBigUint64(0, 200_000_000n, true);
  await rejects(t, file, /header claims 200000000 bytes, over the 100000000-byte limit/);
  const small = rawFile({ a: f32([1], 0, 4) }, new Uint8Array(4));
  await rejects(t, small, /over the 16-byte limit/, { maxHeaderBytes: 16 });
});

test('a header length past the end of the file', async (t) => {
  const file = new Uint8Array(20);
  new DataView(file.buffer).setBigUint64(0, 1000n, true);
  const [fromBytes, fromPath, fromResponse] = await loadEveryWay(file);
  t.regex(fromBytes!.message, /header claims 1000 bytes but the file has only 12/);
  t.regex(fromPath!.message, /header claims 1000 bytes but the file has only 12/);
  t.regex(fromResponse!.message, /truncated header, 12 of 1000 bytes/);
});

test('a file shorter than the length prefix', async (t) => {
  await rejects(t, new Uint8Array(5), /5 bytes is too short for the 8-byte header length/);
});

test('offsets past the end of the data', async (t) => {
  const file = rawFile({ a: f32([4], 0, 16) }, new Uint8Array(8));
  const [fromBytes, fromPath, fromResponse] = await loadEveryWay(file);
  t.regex(fromBytes!.message, /tensor 'a' data_offsets \[0, 16\] run past the end of the 8 data bytes/);
  t.regex(fromPath!.message, /run past the end/);
  t.regex(fromResponse!.message, /truncated data, tensor 'a' needs data bytes \[0, 16\) but the data ends at 8/);
});

test('a Response that states its length is checked against the header before the data is read', async (t) => {
  const file = rawFile({ a: f32([4], 0, 16) }, new Uint8Array(8));
  const response = new Response(chunked(file, 7), { headers: { 'content-length': String(file.byteLength) } });
  await t.throwsAsync(loadSafetensors(response), { instanceOf: SafetensorsError, message: /run past the end of the 8 data bytes/ });
});

test('a lying header asking for gigabytes allocates nothing of that size', async (t) => {
  const file = rawFile({ huge: f32([1 << 29], 0, 2 ** 31) }, new Uint8Array(64));
  const before = process.memoryUsage().arrayBuffers;
  await rejects(t, file, /run past the end|truncated data/);
  t.true(process.memoryUsage().arrayBuffers - before < 50e6);
});

test('overlapping tensors', async (t) => {
  const file = rawFile({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, new Uint8Array(12));
  await rejects(t, file, /tensor 'b' data_offsets \[4, 12\] overlap the previous tensor, which ends at 8/);
});

test('gaps and undescribed trailing bytes', async (t) => {
  await rejects(t, rawFile({ a: f32([1], 4, 8) }, new Uint8Array(8)), /gap of 4 unused bytes before tensor 'a'/);
  await rejects(t, rawFile({ a: f32([1], 0, 4) }, new Uint8Array(8)), /bytes after the last tensor are not described/);
});

test('unknown dtype', async (t) => {
  await rejects(t, rawFile({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /tensor 'a': unknown dtype "F8_E4M3"/);
});

test('__proto__, constructor and prototype keys anywhere in the header', async (t) => {
  const data = new Uint8Array(4);
  const cases = [
    `{"__proto__": {"polluted": "yes"}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}`,
    `{"__metadata__": {"__proto__": "x"}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}`,
    `{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "constructor": {"prototype": 1}}}`,
  ];
  for (const header of cases) await rejects(t, rawFile(header, data), /forbidden key '(__proto__|constructor|prototype)'/);
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('shape and byte length that disagree', async (t) => {
  await rejects(t, rawFile({ a: f32([3], 0, 8) }, new Uint8Array(8)), /F32 shape \[3\] needs 12 bytes but data_offsets \[0, 8\] span 8/);
});

test('malformed entries: negative or fractional shapes, bad offsets, extra keys, not JSON, not UTF-8', async (t) => {
  await rejects(t, rawFile({ a: f32([-1], 0, 4) }, new Uint8Array(4)), /shape \[-1\] is not a list of non-negative integers/);
  await rejects(t, rawFile({ a: f32([1.5], 0, 4) }, new Uint8Array(4)), /shape \[1.5\]/);
  await rejects(t, rawFile({ a: f32(new Array(65).fill(1), 0, 4) }, new Uint8Array(4)), /shape has 65 dimensions, more than 64/);
  await rejects(t, rawFile({ a: f32([1], 4, 0) }, new Uint8Array(4)), /end before they begin/);
  await rejects(t, rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)), /is not \[begin, end\]/);
  await rejects(t, rawFile({ a: { ...f32([1], 0, 4), extra: 1 } }, new Uint8Array(4)), /entry has keys \[data_offsets,dtype,extra,shape\]/);
  await rejects(t, rawFile('{"a": ', new Uint8Array(0)), /header is not valid JSON/);
  await rejects(t, rawFile('[1, 2]'), /does not start with "\{"/);
  await rejects(t, rawFile({ __metadata__: { a: 1 } }), /__metadata__ value for 'a' is not a string/);
  const badUtf8 = rawFile('{"a":1}');
  badUtf8[10] = 0xff;
  await rejects(t, badUtf8, /not valid UTF-8/);
});

test('truncated data', async (t) => {
  const file = await encodeSafetensors({ a: tensor([1, 2, 3]), b: tensor([4, 5]) });
  await rejects(t, file.subarray(0, file.byteLength - 3), /run past the end|truncated data, tensor 'b'/);
});

test('an I64 value outside int32 names the tensor and element', async (t) => {
  const data = new Uint8Array(new BigInt64Array([1n, 2n ** 31n]).buffer);
  await rejects(t, rawFile({ idx: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data), /tensor 'idx': I64 element 1 does not fit in int32/);
});

test.serial('a failed load leaves no tensors behind', async (t) => {
  const { memory } = await import('@fovea/core');
  const good = new Uint8Array(new BigInt64Array([1n]).buffer);
  const bad = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
  const file = rawFile({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] }, b: { dtype: 'I64', shape: [1], data_offsets: [8, 16] } }, new Uint8Array([...good, ...bad]));
  const before = memory().numTensors;
  await t.throwsAsync(decodeSafetensors(file), { instanceOf: SafetensorsError });
  t.is(memory().numTensors, before);
});

test('saving rejects names and metadata that could not be read back', async (t) => {
  for (const name of ['__metadata__', '__proto__', '']) {
    await t.throwsAsync(encodeSafetensors(new Map([[name, tensor([1])]])), { message: /cannot name a tensor/ });
  }
  await t.throwsAsync(encodeSafetensors({ a: tensor([1]) }, { epoch: 3 as unknown as string }), { message: /metadata 'epoch' must be a string/ });
  await t.throwsAsync(saveSafetensors({ write: () => undefined }, { r: { dtype: 'F16', shape: [3], data: new Uint8Array(4) } }), {
    message: /raw tensor 'r' \(F16 \[3\]\) needs 6 bytes, got 4/,
  });
});
