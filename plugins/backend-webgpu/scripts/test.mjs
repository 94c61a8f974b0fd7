// `pnpm test`: runs ava with WebGPU on the software adapter when the machine has no GPU set up,
// so a fresh clone tests every kernel on the CPU.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { softwareGpuEnv } from './software-gpu.mjs';

// ava's CLI sits beside its main entry (its exports map does not list the CLI itself).
const cli = join(dirname(createRequire(import.meta.url).resolve('ava')), 'cli.mjs');
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env: softwareGpuEnv() });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
