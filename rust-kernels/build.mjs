#!/usr/bin/env node
// Builds rust-kernels/ into the two WebAssembly modules @fovea/backend-wasm loads:
//   fovea-kernels-simd.wasm     simd128 + bulk-memory, own memory, single thread (every engine
//                               with SIMD has bulk memory; memory.copy made a concat ~2.4x faster
//                               than compiler-builtins' word loop)
//   fovea-kernels-threads.wasm  simd128 + atomics, imported shared memory (worker pool)
// Usage: node rust-kernels/build.mjs [--test]   (--test also runs the Rust unit tests natively)
//
// Toolchain: a rustup toolchain with the wasm32-unknown-unknown target when there is one,
// else Debian's packaged rustc (installed with apt when we are root on Debian), else a clear
// message. Debian's rustc must be called by absolute path: rustup's shims shadow it on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'plugins', 'backend-wasm', 'wasm');
const TARGET = 'wasm32-unknown-unknown';
const DEBIAN_PACKAGES = ['rustc', 'cargo', 'libstd-rust-dev-wasm32', 'lld'];

const VARIANTS = [
  { name: 'simd', features: '+simd128,+bulk-memory', cargoFeatures: [], linkArgs: [] },
  {
    name: 'threads',
    features: '+simd128,+atomics,+bulk-memory,+mutable-globals',
    cargoFeatures: ['--features', 'threads'],
    // Debian's prebuilt std lacks the atomics feature; it is only ever used from the main
    // thread (allocation), so the feature check is skipped. Each worker sets its own stack
    // through the exported __stack_pointer. 2 GiB keeps every pointer a positive i32.
    linkArgs: ['--shared-memory', '--import-memory', '--no-check-features', '--max-memory=2147483648', '--export=__stack_pointer'],
  },
];

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: here, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** A rustc whose sysroot holds the wasm32 std, with the cargo that goes with it. */
function hasWasmStd(rustc) {
  const sysroot = output(rustc, ['--print', 'sysroot']);
  return sysroot !== null && existsSync(join(sysroot, 'lib', 'rustlib', TARGET));
}

function findToolchain() {
  const rustupRustc = output('rustup', ['which', 'rustc']);
  if (rustupRustc && hasWasmStd(rustupRustc)) {
    return { rustc: rustupRustc, cargo: output('rustup', ['which', 'cargo']) ?? 'cargo' };
  }
  if (hasWasmStd('/usr/bin/rustc') && existsSync('/usr/bin/cargo')) return { rustc: '/usr/bin/rustc', cargo: '/usr/bin/cargo' };
  return null;
}

function installDebianToolchain() {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return false;
  console.log(`rust-kernels: installing Debian's Rust toolchain (${DEBIAN_PACKAGES.join(' ')})`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...DEBIAN_PACKAGES], { DEBIAN_FRONTEND: 'noninteractive' });
  return true;
}

function toolchain() {
  const found = findToolchain() ?? (installDebianToolchain() ? findToolchain() : null);
  if (found) return found;
  console.error(
    'rust-kernels: no Rust toolchain with the wasm32-unknown-unknown target was found.\n' +
      '  With rustup:   rustup target add wasm32-unknown-unknown\n' +
      `  On Debian:     apt-get install ${DEBIAN_PACKAGES.join(' ')}\n` +
      'then run `node rust-kernels/build.mjs` again.',
  );
  process.exit(1);
}

const { rustc, cargo } = toolchain();
mkdirSync(outDir, { recursive: true });
for (const v of VARIANTS) {
  const flags = [`-C target-feature=${v.features}`, ...v.linkArgs.map((a) => `-C link-arg=${a}`)].join(' ');
  const targetDir = join(here, 'target', v.name);
  run(cargo, ['build', '--release', '--locked', ...v.cargoFeatures, '--target', TARGET, '--target-dir', targetDir], { RUSTC: rustc, RUSTFLAGS: flags });
  copyFileSync(join(targetDir, TARGET, 'release', 'fovea_kernels.wasm'), join(outDir, `fovea-kernels-${v.name}.wasm`));
}
if (process.argv.includes('--test')) run(cargo, ['test', '--release', '--locked'], { RUSTC: rustc });
console.log(`rust-kernels: built ${VARIANTS.map((v) => `fovea-kernels-${v.name}.wasm`).join(', ')} in ${outDir}`);
