import { kernels } from '@fovea/backend-wasm';
const acc = new Map<string, number>();
for (const [op, k] of Object.entries(kernels)) {
  (kernels as any)[op] = (ctx: any) => {
    const u = process.cpuUsage(); const r = k(ctx); const d = process.cpuUsage(u);
    const key = op === 'conv2d' ? `conv2d x${ctx.inputs[0].shape.join('x')} w${ctx.inputs[1].shape.join('x')} s${ctx.attrs.stride[0]}` : op;
    acc.set(key, (acc.get(key) ?? 0) + (d.user + d.system) / 1000); return r;
  };
}
const { foveaRows } = await import('./rows/fovea.ts');
const rows = await foveaRows(2);
const p: any = await rows[0]!.prepare((process.argv[2] ?? 'resnet18') as any);
for (let i = 0; i < 2; i++) await p.run();
acc.clear();
for (let i = 0; i < 4; i++) await p.run();
const tot = [...acc.values()].reduce((a, b) => a + b, 0);
console.log('total kernel cpu per run', (tot / 4).toFixed(1));
[...acc].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 4).toFixed(2).padStart(8), k));
