// Where a software Vulkan driver lives on Debian: SwiftShader ships inside the `chromium`
// package. Dawn for Node finds adapters through the Vulkan loader, which reads these variables.
import { existsSync } from 'node:fs';

const SWIFTSHADER_DIR = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${SWIFTSHADER_DIR}/vk_swiftshader_icd.json`;

/**
 * The environment with the Vulkan loader pointed at SwiftShader, unless the caller chose a
 * driver (VK_ICD_FILENAMES set) or asked for the machine's own GPU (FOVEA_WEBGPU_HARDWARE=1).
 */
export function softwareGpuEnv(env = process.env) {
  if (env.VK_ICD_FILENAMES || env.FOVEA_WEBGPU_HARDWARE === '1' || !existsSync(SWIFTSHADER_ICD)) return { ...env };
  // LD_LIBRARY_PATH is read when a process starts, so it must be set for a child, not in-process.
  const libs = env.LD_LIBRARY_PATH ? `${SWIFTSHADER_DIR}:${env.LD_LIBRARY_PATH}` : SWIFTSHADER_DIR;
  return { ...env, VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: libs };
}
