import test from 'ava';
import { BufferPool, bucketSize } from '../src/buffer-pool.js';

/** A device that only makes buffers: the pool's bookkeeping needs nothing else. */
function fakeDevice(): { device: GPUDevice; destroyed: number[] } {
  const destroyed: number[] = [];
  const device = { createBuffer: ({ size }: GPUBufferDescriptor) => ({ size, destroy: () => destroyed.push(size) }) };
  return { device: device as unknown as GPUDevice, destroyed };
}

const MB = 2 ** 20;

test('bucket sizes: at most 25 % slack, multiples of 16', (t) => {
  t.is(bucketSize(1), 16);
  t.is(bucketSize(100), 112);
  t.is(bucketSize(1000 * MB), 1024 * MB);
  for (const n of [17, 1000, 12345, 3 * MB + 5]) {
    t.true(bucketSize(n) >= n && bucketSize(n) <= n * 1.25 + 16 && bucketSize(n) % 16 === 0, `${n}`);
  }
});

test('by default the pool keeps what was once in use together: a repeated step creates nothing new', (t) => {
  const { device, destroyed } = fakeDevice();
  const pool = new BufferPool(device);
  // One "step" holds 1.6 GiB at once (bucket sizes) (more than any fixed cap we used), then frees it all.
  const step = () => {
    const held = [640, 640, 320].map((mb) => pool.acquire(mb * MB));
    for (const b of held) t.true(pool.release(b));
  };
  step();
  const created = pool.stats().buffersCreated;
  for (let i = 0; i < 5; i++) step();
  t.is(pool.stats().buffersCreated, created, 'later steps reuse the first one\'s buffers');
  t.deepEqual(destroyed, []);
  t.is(pool.stats().freeBytes, 1600 * MB);
  t.is(pool.stats().usedBytes, 0);
});

test('the pool never keeps more than the peak in use, nor more than an explicit cap', (t) => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device);
  const a = pool.acquire(64 * MB);
  t.true(pool.release(a));
  // Used one after another, buckets of other sizes would pile up: they are refused past the peak.
  const b = pool.acquire(80 * MB);
  t.false(pool.release(b), 'keeping it would hold 144 MiB where 80 MiB was the most in use');
  const capped = new BufferPool(device, 0);
  t.false(capped.release(capped.acquire(16)));
  t.is(capped.stats().freeBytes, 0);
});

test('a request takes the oldest free buffer of its bucket, whatever order they were released in', (t) => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device);
  const [a, b, c] = [pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)];
  for (const order of [[c, a, b], [b, c, a], [a, b, c]]) {
    for (const buffer of order) pool.release(buffer!);
    t.deepEqual([pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)], [a, b, c], 'the same buffers, in the order they were made');
  }
  for (const buffer of [c, a]) pool.release(buffer!);
  t.is(pool.acquire(1000), a);
  t.is(pool.acquire(1000), c);
  t.is(pool.stats().buffersCreated, 3);
});

test('after drain() the pool keeps what the work since needs, not an earlier workload\'s peak', (t) => {
  const { device } = fakeDevice();
  const pool = new BufferPool(device);
  const big = pool.acquire(64 * MB);
  t.true(pool.release(big));
  t.deepEqual(pool.drain(), [big]);
  t.true(pool.release(pool.acquire(16 * MB)));
  t.false(pool.release(pool.acquire(32 * MB)), '48 MiB free where 32 MiB is the most in use since');
  t.is(pool.stats().freeBytes, 16 * MB);
});
