import type { Storage } from './device-context.js';
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

  /** Declares `F`, the type float32 tensors are stored as, at the top of every shader. */
  private readonly preamble: string;

  constructor(
    private readonly device: GPUDevice,
    checkKeys: boolean,
    storage: Storage,
  ) {
    this.sources = checkKeys ? new Map() : null;
    this.preamble = storage === 'f16' ? 'enable f16;\nalias F = f16;\n' : 'alias F = f32;\n';
  }

  get size(): number {
    return this.pipelines.size;
  }

  pipeline(program: Program, inputs: number, outputs: number): GPUComputePipeline {
    const key = `${program.key}|${inputs}|${outputs}`;
    if (this.sources) this.checkKey(key, program.wgsl());
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: this.preamble + program.wgsl(), label: program.key });
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
      entries.push({ binding: inputs + outputs, visibility: ShaderStage.COMPUTE, buffer: { type: 'uniform' } });
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
