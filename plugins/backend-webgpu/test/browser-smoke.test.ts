import test, { type ExecutionContext } from 'ava';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// Headless mode and the profile directory are passed as launch options (Playwright's rule).
const FLAGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

/** The page script bundled for the browser, from sources (the `source` export condition). */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./browser/smoke-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** Serves the page on 127.0.0.1 (a secure context, which WebGPU requires). */
async function serve(script: string) {
  const html = '<!doctype html><meta charset="utf-8"><title>fovea webgpu smoke</title><script type="module" src="/smoke.js"></script>';
  const server = createServer((req, res) => {
    const isScript = req.url === '/smoke.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

// Debian's `chromium` package; without it the test is reported as skipped, with this reason.
const browserTest = existsSync(CHROMIUM) ? test : (title: string) => test.skip(`${title} — ${CHROMIUM} not found (apt-get install chromium)`, () => undefined);

browserTest('headless Chromium trains a tiny model on WebGPU and the loss falls', async (t: ExecutionContext) => {
  const { server, url } = await serve(await bundle());
  const profile = mkdtempSync(join(tmpdir(), 'fovea-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => t.log(`page: ${m.text()}`));
    await page.goto(url);
    await page.waitForFunction(() => 'smoke' in globalThis, undefined, { timeout: 60_000 });
    const result = await page.evaluate(() => (globalThis as unknown as { smoke: Promise<{ backend: string; adapter: string; losses: number[]; error?: string }> }).smoke);
    t.log(`adapter: ${result.adapter}; losses: ${result.losses.map((l) => l.toFixed(4)).join(' ')}`);
    t.is(result.error, undefined);
    t.is(result.backend, 'webgpu');
    t.is(result.losses.length, 8);
    t.true(result.losses.at(-1)! < result.losses[0]! * 0.8, 'the loss falls');
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
