import { getBackendName, listBackends, onBackendEvent, ready, setBackend } from '@fovea/core';
import { stringFlag, type CommandLine } from './args.js';
import { line, type Output } from './output.js';

/** Backend packages, fastest first; whichever are installed register themselves on import. */
const PACKAGES = ['@fovea/backend-webgpu', '@fovea/backend-wasm', '@fovea/backend-js'];

/**
 * Imports the installed backend packages (only `@fovea/backend-NAME` when that registers the
 * backend asked for), then starts the one named or the fastest that initialises, and describes
 * the choice, e.g. "js (highest priority registered; registered: js)".
 */
export async function startBackend(name: string | undefined, warn: (line: string) => void): Promise<string> {
  if (name && /^[a-z0-9-]+$/.test(name)) await importIfInstalled(`@fovea/backend-${name}`, warn);
  if (!name || !listBackends().includes(name)) for (const pkg of PACKAGES) await importIfInstalled(pkg, warn);
  let reason = '';
  const stop = onBackendEvent((e) => void (reason = e.reason));
  try {
    if (name) await setBackend(name);
    else await ready();
  } finally {
    stop();
  }
  return `${getBackendName()} (${reason || 'already active'}; registered: ${listBackends().join(', ')})`;
}

async function importIfInstalled(pkg: string, warn: (line: string) => void): Promise<void> {
  try {
    await import(pkg);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(pkg);
    if (!missing) warn(`backend package ${pkg} failed to load: ${(err as Error).message}`);
  }
}

/** Starts the backend `--backend` names (or the fastest) and prints which one runs. */
export async function announceBackend(cmd: CommandLine, out: Output): Promise<void> {
  line(out.stdout, `backend: ${await startBackend(stringFlag(cmd, 'backend'), (w) => line(out.stderr, w))}`);
}
