// The wasm backend in headless Chromium, loaded the way a bundled app loads it: the page is an
// esbuild bundle served at /<page>/dist/page.js, and the kernels sit at /<page>/wasm/, where the
// package's `new URL('../wasm/…', import.meta.url)` points from the bundle (esbuild leaves that
// expression as it is and emits no asset for it). One browser visits every page; each page's
// training values are compared with the same seeded steps run here in Node.
import type { ExecutionContext } from 'ava';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { browserTest, bundlePage, pageResult, serveLocally, withChromium } from '@fovea/testkit/browser';
import '../src/index.js';
import type { PageResult } from './browser/page.js';
import { trainTinyCnn, type TrainResult } from './browser/train.js';

const WASM_DIR = new URL('../wasm/', import.meta.url);
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

interface Page {
  /** COOP and COEP go with the page's responses, so it is cross-origin isolated. */
  isolated: boolean;
  /** Whether the kernels are at the bundle's `../wasm/`. */
  servesWasm: boolean;
  query: string;
}

// `/kernels/` is the other folder the server exposes, for setWasmPath().
const PAGES = {
  plain: { isolated: false, servesWasm: true, query: '?threads=2' },
  isolated: { isolated: true, servesWasm: true, query: '?threads=2' },
  override: { isolated: false, servesWasm: false, query: '?threads=1&wasm=/kernels/' },
  missing: { isolated: false, servesWasm: false, query: '' },
} satisfies Record<string, Page>;
type PageName = keyof typeof PAGES;

interface Visit {
  result: PageResult;
  console: { type: string; text: string }[];
  /** Paths the page fetched from the server. */
  requests: string[];
}

const KERNELS = ['fovea-kernels-simd.wasm', 'fovea-kernels-threads.wasm'];

/** The page a request belongs to: the one it came from, or the one it loads. */
function pageOf(req: IncomingMessage, dir: string): string {
  return req.headers.referer ? new URL(req.headers.referer).pathname.split('/')[1]! : dir;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>fovea wasm</title><script type="module" src="dist/page.js"></script>';

/** Status, content type and body for `file` under `/<dir>/`. */
async function content(dir: string, file: string, script: string): Promise<[number, string, string | Buffer]> {
  const page = (PAGES as Record<string, Page>)[dir];
  const kernel = dir === 'kernels' ? file : page?.servesWasm && file.startsWith('wasm/') ? file.slice('wasm/'.length) : '';
  if (page && file === '') return [200, 'text/html', HTML];
  if (page && file === 'dist/page.js') return [200, 'text/javascript', script];
  if (KERNELS.includes(kernel)) return [200, 'application/wasm', await readFile(new URL(kernel, WASM_DIR))];
  return [404, 'text/plain', 'not found'];
}

/** Serves every page, the bundle and the kernels, recording each page's requests. */
function startServer(script: string, requests: Map<string, string[]>) {
  return serveLocally(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [, dir = '', ...rest] = path.split('/');
    requests.get(pageOf(req, dir))?.push(path);
    const [status, type, body] = await content(dir, rest.join('/'), script);
    const isolated = (PAGES as Record<string, Page>)[dir]?.isolated ?? false;
    res.writeHead(status, { 'content-type': type, ...(isolated ? ISOLATION : {}) });
    res.end(body);
  });
}

/** Visits every page in one browser. */
async function visitAll(): Promise<Record<PageName, Visit>> {
  const requests = new Map(Object.keys(PAGES).map((name) => [name, [] as string[]]));
  const server = await startServer(await bundlePage(new URL('./browser/page.ts', import.meta.url)), requests);
  try {
    return await withChromium(async (browser) => {
      const visits: Partial<Record<PageName, Visit>> = {};
      for (const [name, page] of Object.entries(PAGES) as [PageName, Page][]) {
        const messages: Visit['console'] = [];
        const result = await pageResult<PageResult>(browser, `${server.url}${name}/${page.query}`, 'result', (text, type) => messages.push({ text, type }));
        visits[name] = { result, console: messages, requests: requests.get(name)! };
      }
      return visits as Record<PageName, Visit>;
    });
  } finally {
    await server.close();
  }
}

let visits: Promise<Record<PageName, Visit>> | undefined;
/** One browser run shared by the tests below. */
const visit = async (name: PageName) => (await (visits ??= visitAll()))[name];

let node: Promise<Record<'wasm' | 'js', TrainResult>> | undefined;
/** The same seeded steps in Node, on wasm and on js. */
const inNode = () =>
  (node ??= (async () => {
    await fv.setBackend('wasm');
    const wasm = await trainTinyCnn();
    await fv.setBackend('js');
    return { wasm, js: await trainTinyCnn() };
  })());

function maxDifference(a: readonly number[], b: readonly number[]): number {
  return a.length === b.length ? Math.max(...a.map((x, i) => Math.abs(x - b[i]!))) : Infinity;
}

/** The page trained, its loss fell, and its values are Node's on `backend` within 1e-5. */
async function trainedLikeNode(t: ExecutionContext, { result }: Visit, backend: 'wasm' | 'js') {
  t.is(result.error, undefined);
  t.is(result.backend, backend);
  const expected = (await inNode())[backend];
  const losses = result.losses ?? [];
  t.log(`losses: ${losses.map((l) => l.toFixed(5)).join(' ')}`);
  t.true(losses.length > 1 && losses.every((l, i) => i === 0 || l < losses[i - 1]!), 'the loss falls at every step');
  const diff = Math.max(maxDifference(losses, expected.losses), maxDifference(result.weights ?? [], expected.weights));
  t.log(`largest difference from Node on ${backend}: ${diff}`);
  t.true(diff <= 1e-5, `losses and weights differ from Node's by ${diff}`);
}

browserTest('without cross-origin isolation the page runs the single-threaded SIMD module and says why', async (t) => {
  const v = await visit('plain');
  await trainedLikeNode(t, v, 'wasm');
  t.false(v.result.crossOriginIsolated);
  t.like(v.result.info, { variant: 'simd', simd: true, threads: 1 });
  t.regex(v.result.info?.note ?? '', /single-threaded: the page is not cross-origin isolated/);
  t.true(v.console.some((m) => m.type === 'warning' && m.text.startsWith('[fovea] wasm: running single-threaded')));
});

browserTest('a cross-origin isolated page runs the threaded module with 2 Web Workers over shared memory', async (t) => {
  const v = await visit('isolated');
  await trainedLikeNode(t, v, 'wasm');
  t.true(v.result.crossOriginIsolated);
  t.deepEqual(v.result.info, { variant: 'threads', simd: true, threads: 2 });
  t.true(v.requests.includes('/isolated/wasm/fovea-kernels-threads.wasm'));
});

browserTest('setWasmPath() loads the kernels from another folder', async (t) => {
  const v = await visit('override');
  await trainedLikeNode(t, v, 'wasm');
  t.deepEqual(v.result.info, { variant: 'simd', simd: true, threads: 1 });
  t.true(v.requests.includes('/kernels/fovea-kernels-simd.wasm'));
  t.false(v.requests.some((p) => p.startsWith('/override/wasm/')), 'the default location is not fetched');
});

browserTest('when the .wasm 404s the page falls back to js, says so, and still computes', async (t) => {
  const v = await visit('missing');
  await trainedLikeNode(t, v, 'js');
  const notice = /^using backend 'js': 'wasm' failed to initialise \(cannot read the wasm kernels at http:\/\/127\.0\.0\.1:\d+\/missing\/wasm\/fovea-kernels-simd\.wasm \(HTTP 404/;
  t.regex(v.result.events.find((e) => e.type === 'fallback')?.reason ?? '', notice);
  t.true(v.console.some((m) => m.type === 'warning' && m.text.startsWith("[fovea] using backend 'js': 'wasm' failed to initialise")));
});
