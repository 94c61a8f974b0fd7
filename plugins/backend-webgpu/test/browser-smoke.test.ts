import type { ExecutionContext } from 'ava';
import { browserTest, bundlePage, pageResult, serveLocally, withChromium } from '@fovea/testkit/browser';

interface SmokeResult {
  backend: string;
  adapter: string;
  losses: number[];
  error?: string;
}

/** Serves the bundled page on 127.0.0.1 (a secure context, which WebGPU requires). */
async function serve(script: string) {
  const html = '<!doctype html><meta charset="utf-8"><title>fovea webgpu smoke</title><script type="module" src="/smoke.js"></script>';
  return serveLocally((req, res) => {
    const isScript = req.url === '/smoke.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? script : html);
  });
}

browserTest('headless Chromium trains a tiny model on WebGPU and the loss falls', async (t: ExecutionContext) => {
  const server = await serve(await bundlePage(new URL('./browser/smoke-page.ts', import.meta.url)));
  try {
    const result = await withChromium(
      (browser) => pageResult<SmokeResult>(browser, server.url, 'smoke', (text) => t.log(`page: ${text}`)),
      ['--enable-unsafe-webgpu'],
    );
    t.log(`adapter: ${result.adapter}; losses: ${result.losses.map((l) => l.toFixed(4)).join(' ')}`);
    t.is(result.error, undefined);
    t.is(result.backend, 'webgpu');
    t.is(result.losses.length, 8);
    t.true(result.losses.at(-1)! < result.losses[0]! * 0.8, 'the loss falls');
  } finally {
    await server.close();
  }
});
