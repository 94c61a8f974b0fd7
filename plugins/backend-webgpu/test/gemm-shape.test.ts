import test from 'ava';
import { GemmShape } from '../src/kernels/gemm-shader.js';
import { TILE_CONFIGS, tileConfigProblem } from '../src/tile-config.js';

const LIMITS = { maxComputeWorkgroupStorageSize: 49152, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024, maxComputeWorkgroupSizeY: 1024 };

/** [rows, columns] of the tile and its thread count. */
const tileOf = (g: GemmShape) => [g.tileM, g.tileN, g.tx * g.ty];

test('a staged GEMM with 64 rows under the 128-row tile runs a 64×128 tile on half the threads', (t) => {
  // ResNet's 64-channel convolutions: half of a 128-row tile's threads had no rows.
  const g = new GemmShape(TILE_CONFIGS.large, { m: 64, n: 100352, staged: true });
  t.deepEqual(tileOf(g), [64, 128, 128]);
  t.deepEqual(g.grid(64, 100352, 1), [784, 1, 1]);
  t.is(g.tiles(64, 100352, 2), 1568, 'workgroups of an unsplit GEMM over a batch of 2');
  t.is(g.tag, 't16x8b8x8d8', 'a different shader from the full tile');
});

test('a staged GEMM fits its columns too (batch 1, 7×7 = 49 positions), never below 64 threads', (t) => {
  t.deepEqual(tileOf(new GemmShape(TILE_CONFIGS.large, { m: 512, n: 49, staged: true })), [128, 64, 128]);
  t.deepEqual(tileOf(new GemmShape(TILE_CONFIGS.large, { m: 8, n: 8, staged: true })), [64, 64, 64]);
  t.deepEqual(tileOf(new GemmShape(TILE_CONFIGS.large, { m: 4096, n: 4096, staged: true })), [128, 128, 256], 'big outputs keep the table tile');
});

test('the direct kernel hands unneeded rows\' threads to the columns', (t) => {
  t.deepEqual(tileOf(new GemmShape(TILE_CONFIGS.large, { m: 8, n: 4096, staged: false })), [8, 2048, 256]);
});

test('every fitted staged shape still splits its loads evenly over its threads', (t) => {
  for (const config of Object.values(TILE_CONFIGS)) {
    for (const m of [1, 5, 8, 33, 64, 100, 128, 1000]) {
      for (const n of [1, 7, 49, 64, 130, 4096]) {
        const g = new GemmShape(config, { m, n, staged: true });
        const fitted = { ...config, threads: [g.tx, g.ty] as const };
        t.is(tileConfigProblem(fitted, LIMITS), null, `${config.name} ${m}×${n}`);
      }
    }
  }
});
