import test from 'ava';
import { ValueError } from '@fovea/core';
import { TILE_CONFIGS, chooseTileConfig, tileConfigProblem, workgroupBytes, type AdapterFacts } from '../src/tile-config.js';

// Limits and adapter info as real adapters report them (Dawn on Vulkan; compatibility mode's
// lower limits from the WebGPU spec).
const CORE = { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256, maxComputeWorkgroupSizeY: 256 };
const adapter = (info: Partial<AdapterFacts['info']>, limits: Partial<AdapterFacts['limits']> = {}): AdapterFacts => ({
  limits: { ...CORE, ...limits },
  info: { vendor: '', architecture: '', device: '', description: '', ...info },
});

const H100 = adapter(
  { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' },
  { maxComputeWorkgroupStorageSize: 49152, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024, maxComputeWorkgroupSizeY: 1024 },
);
const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true }, { maxComputeWorkgroupStorageSize: 32768 });
const LAVAPIPE = adapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)' }, { maxComputeWorkgroupStorageSize: 32768, maxComputeInvocationsPerWorkgroup: 1024 });
const INTEGRATED = adapter({ vendor: 'intel', architecture: 'gen-12lp' });
const COMPAT = adapter({ vendor: 'qualcomm', architecture: 'adreno-6xx' }, { maxComputeInvocationsPerWorkgroup: 128, maxComputeWorkgroupSizeX: 128, maxComputeWorkgroupSizeY: 128 });

test('every table entry is a valid configuration within the WebGPU core limits', (t) => {
  for (const config of Object.values(TILE_CONFIGS)) t.is(tileConfigProblem(config, CORE), null, config.name);
});

test('a big discrete GPU takes the 128×128 tile', (t) => {
  const c = chooseTileConfig(H100);
  t.is(c.name, 'large');
  t.deepEqual([c.threads[1] * c.block[0], c.threads[0] * c.block[1]], [128, 128]);
});

test('software adapters take the CPU configuration, named or flagged as fallback', (t) => {
  t.is(chooseTileConfig(SWIFTSHADER).name, 'cpu');
  t.is(chooseTileConfig(LAVAPIPE).name, 'cpu');
  t.is(chooseTileConfig(SWIFTSHADER).directMaxK, Infinity, 'no workgroup-memory staging on a CPU');
});

test('an ordinary GPU takes the default 64×64 tile', (t) => {
  t.is(chooseTileConfig(INTEGRATED).name, 'default');
});

test('a low-limit adapter steps down to a tile that fits its 128 invocations', (t) => {
  const c = chooseTileConfig(COMPAT);
  t.is(c.name, 'compat');
  t.true(c.threads[0] * c.threads[1] <= 128);
  t.is(tileConfigProblem(c, COMPAT.limits), null);
});

test('a discrete GPU with less workgroup memory than 16 KiB tiles need steps down the ladder', (t) => {
  const tight = adapter({ vendor: 'amd' }, { maxComputeWorkgroupStorageSize: workgroupBytes(TILE_CONFIGS.large) - 4 });
  t.is(chooseTileConfig(tight).name, 'compat');
});

test('an override picks a table entry or a whole configuration', (t) => {
  t.is(chooseTileConfig(H100, 'compat').name, 'compat');
  const custom = chooseTileConfig(INTEGRATED, { threads: [8, 4], block: [4, 8], depth: 8, directMaxK: 0, vec4: false, targetWorkgroups: 32 });
  t.is(custom.name, 'custom');
  t.deepEqual(custom.threads, [8, 4]);
});

test('an override the adapter cannot run is a ValueError naming the limit', (t) => {
  const err = t.throws(() => chooseTileConfig(COMPAT, 'large'), { instanceOf: ValueError });
  t.regex(err!.message, /maxComputeInvocationsPerWorkgroup/);
  t.throws(() => chooseTileConfig(INTEGRATED, 'huge' as never), { instanceOf: ValueError, message: /unknown tile configuration 'huge'/ });
  t.throws(() => chooseTileConfig(INTEGRATED, { ...TILE_CONFIGS.default, block: [4, 6] }), { instanceOf: ValueError, message: /multiple of 4/ });
  t.throws(() => chooseTileConfig(INTEGRATED, { ...TILE_CONFIGS.default, block: [2, 4] }), { instanceOf: ValueError, message: /multiple of 4/ });
  t.throws(() => chooseTileConfig(INTEGRATED, { ...TILE_CONFIGS.default, block: [4, 12] }), { instanceOf: ValueError, message: /powers of two, got 16×16, 4×12, 16/ });
});

test('limits below every configuration are a ValueError', (t) => {
  const tiny = adapter({}, { maxComputeInvocationsPerWorkgroup: 32, maxComputeWorkgroupSizeX: 32, maxComputeWorkgroupSizeY: 32 });
  t.throws(() => chooseTileConfig(tiny), { instanceOf: ValueError, message: /below every tile configuration/ });
});
