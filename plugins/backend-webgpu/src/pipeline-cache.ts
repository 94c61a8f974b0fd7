import type { Program } from './program.js';
import { ShaderStage } from './gpu-constants.js';

/**
 * Compiled pipelines by program key, and bind group layouts by binding count. Layouts are
 * explicit (not `'auto'`) so one layout serves every shader with the same inputs and outputs,
 * and a binding a shader leaves unused is still legal.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  /** In checking mode, the WGSL each key produced, to catch two shaders sharing one key. */
  private readonly sources: Map<string, string> | null;

  constructor(
    private readonly device: GPUDevice,
    checkKeys: boolean,
  ) {
    this.sources = checkKeys ? new Map() : null;
  }

  get size(): number {
    return this.pipelines.size;
  }

  /**
   * The pipeline for `program` with `storage`: per input binding then (after `>`) per output,
   * `h` where float32 values are kept as f16 and `f` where as f32. Shaders name float storage
   * `F0`, `F1`, … (inputs), `FO0`, `FO1`, … (outputs) and `F` (f16 if any output is: kernels
   * whose float outputs share one precision convert with it); the preamble says what each is.
   */
  pipeline(program: Program, inputs: number, outputs: number, storage: string): GPUComputePipeline {
    const key = `${program.key}|${inputs}|${outputs}|${storage}`;
    if (this.sources) this.checkKey(key, program.wgsl());
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: preamble(storage) + program.wgsl(), label: program.key });
      p = this.device.createComputePipeline({
        label: program.key,
        layout: this.layout(inputs, outputs).pipeline,
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Bindings: inputs (read-only storage), then outputs (storage), then the uniform block. */
  layout(inputs: number, outputs: number): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
    const key = `${inputs}/${outputs}`;
    let l = this.layouts.get(key);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < inputs + outputs; i++) {
        const type = i < inputs ? 'read-only-storage' : 'storage';
        entries.push({ binding: i, visibility: ShaderStage.COMPUTE, buffer: { type } });
      }
      // A dynamic offset: a bind group then names the arena's chunk, not one dispatch's slice of it,
      // and serves every dispatch over the same buffers (see DeviceContext's bind group cache).
      entries.push({ binding: inputs + outputs, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } });
      const group = this.device.createBindGroupLayout({ entries });
      l = { group, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [group] }) };
      this.layouts.set(key, l);
    }
    return l;
  }

  private checkKey(key: string, wgsl: string): void {
    const seen = this.sources!.get(key);
    if (seen === undefined) this.sources!.set(key, wgsl);
    else if (seen !== wgsl) throw new Error(`webgpu: program key '${key}' produced two different shaders`);
  }
}

/** `enable f16;` where any binding needs it, and the storage type aliases. */
function preamble(storage: string): string {
  const [inputs, outputs] = storage.split('>') as [string, string];
  const type = (c: string) => (c === 'h' ? 'f16' : 'f32');
  const lines = [...inputs].map((c, i) => `alias F${i} = ${type(c)};`);
  lines.push(...[...outputs].map((c, i) => `alias FO${i} = ${type(c)};`));
  lines.push(`alias F = ${type(outputs.includes('h') ? 'h' : 'f')};`);
  if (storage.includes('h')) lines.unshift('enable f16;');
  return `${lines.join('\n')}\n`;
}
