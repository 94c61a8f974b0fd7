import test from 'ava';
import { measure } from '../src/harness.js';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

test('measure warms up for warmupMs past the warm-up runs before it samples', async (t) => {
  const starts: number[] = [];
  const step = async () => {
    starts.push(performance.now());
    await pause(2);
  };
  const timing = await measure(step, { warmup: 2, minRuns: 1, maxRuns: 1, budgetMs: 1000, warmupMs: 60 });
  t.is(timing.runs, 1);
  const sampled = starts.at(-1)!;
  // The cold run, then warm-ups for at least 60 ms (many more than warmup's one), then the sample.
  t.true(sampled - starts[0]! >= 60, `${sampled - starts[0]!} ms from the cold run`);
  t.true(starts.length > 4);
});

test('without warmupMs the warm-up is warmup − 1 runs after the cold one', async (t) => {
  let calls = 0;
  await measure(async () => void calls++, { warmup: 3, minRuns: 2, maxRuns: 2, budgetMs: 1000 });
  t.is(calls, 1 + 2 + 2);
});
