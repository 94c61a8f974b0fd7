/**
 * @fovea/testkit/browser — headless Chromium for tests: Debian's `chromium` driven by
 * playwright-core, page scripts bundled from sources with esbuild and served on 127.0.0.1 (a
 * secure context, which WebGPU and shared memory need). A separate entry, so the conformance kit
 * needs neither playwright-core nor esbuild.
 */
import test, { type ExecutionContext } from 'ava';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// Headless mode and the profile directory are launch options (Playwright's rule), not flags.
const FLAGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** An ava test when Chromium is installed; otherwise a skipped one whose title says why. */
export function browserTest(title: string, implementation: (t: ExecutionContext) => Promise<void>): void {
  if (existsSync(CHROMIUM)) test(title, implementation);
  else test.skip(`${title} — ${CHROMIUM} not found (apt-get install chromium)`, () => undefined);
}

/** Bundles a page script for the browser from TypeScript sources (the `source` export condition). */
export async function bundlePage(entry: string | URL): Promise<string> {
  const result = await build({
    entryPoints: [entry instanceof URL ? fileURLToPath(entry) : entry],
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

export interface LocalServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `handler` on a free port of 127.0.0.1. */
export async function serveLocally(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `use` in a fresh headless Chromium with its own profile, removed afterwards. */
export async function withChromium<T>(use: (browser: BrowserContext) => Promise<T>, extraFlags: readonly string[] = []): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'fovea-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraFlags] });
  try {
    return await use(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Opens `url` in a new tab and returns what its script publishes as `globalThis[name]` (a value,
 * or a promise of one), failing after `timeoutMs`; `onConsole` sees every console message.
 */
export async function pageResult<T>(
  browser: BrowserContext,
  url: string,
  name: string,
  onConsole: (text: string, type: string) => void,
  timeoutMs = 60_000,
): Promise<T> {
  const page = await browser.newPage();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    page.on('console', (m) => onConsole(m.text(), m.type()));
    await page.goto(url);
    const published = page.waitForFunction((key) => key in globalThis, name, { timeout: timeoutMs }).then(() =>
      page.evaluate((key) => (globalThis as Record<string, unknown>)[key], name),
    );
    published.catch(() => undefined); // when the timeout wins, closing the page rejects it
    // Raced here, not in the page: a page stuck in a loop runs none of its own timers.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${url} published no ${name} within ${timeoutMs} ms`)), timeoutMs);
    });
    return (await Promise.race([published, timeout])) as T;
  } finally {
    clearTimeout(timer);
    await page.close();
  }
}
