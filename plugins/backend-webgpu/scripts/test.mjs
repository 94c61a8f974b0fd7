// `pnpm test`: runs ava with WebGPU on the software adapter when the machine has no GPU set up,
// so a fresh clone tests every kernel on the CPU.
import { spawn } from 'node:child_process';
import { softwareGpuEnv } from './software-gpu.mjs';

const child = spawn('ava', process.argv.slice(2), { stdio: 'inherit', env: softwareGpuEnv(), shell: process.platform === 'win32' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
