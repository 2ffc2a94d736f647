import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Debian's Chromium ships SwiftShader, a Vulkan driver that runs on the CPU, beside a Vulkan loader of
 * its own. Dawn (ONNX Runtime's WebGPU) runs on it with the same shaders a GPU runs, slowly: enough to
 * test the WebGPU path on a machine without a GPU.
 */
const CHROMIUM_LIB_DIR = '/usr/lib/chromium';

export const VULKAN_CHOICES = ['auto', 'system', 'swiftshader'] as const;
export type VulkanChoice = (typeof VULKAN_CHOICES)[number];

/** The environment for a process that runs WebGPU, and what it runs on, in words. */
export interface VulkanSetup {
  env: NodeJS.ProcessEnv;
  /** 'SwiftShader (software Vulkan)', or undefined for the machine's own drivers. */
  adapter?: string;
}

/**
 * The environment for a new process whose WebGPU should run on SwiftShader: Chromium's Vulkan loader
 * first on the library path (the dynamic linker reads it when a process starts, so it cannot be set
 * from inside one) and SwiftShader's driver manifest. Else why not.
 */
export function swiftShaderEnv(base: NodeJS.ProcessEnv = process.env, dir = CHROMIUM_LIB_DIR): VulkanSetup | { missing: string } {
  const manifest = join(dir, 'vk_swiftshader_icd.json');
  for (const file of [join(dir, 'libvulkan.so.1'), join(dir, 'libvk_swiftshader.so'), manifest]) {
    if (!existsSync(file)) return { missing: `${file} is missing (Debian's chromium package provides it)` };
  }
  return {
    env: { ...base, LD_LIBRARY_PATH: [dir, base.LD_LIBRARY_PATH].filter(Boolean).join(':'), VK_ICD_FILENAMES: manifest },
    adapter: 'SwiftShader (software Vulkan)',
  };
}

/** Whether the system's dynamic linker finds a Vulkan loader (Linux); elsewhere Dawn uses Metal or Direct3D 12. */
function hasSystemVulkan(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

/**
 * What WebGPU runs on: 'system' the machine's drivers, 'swiftshader' Chromium's software driver, 'auto'
 * the system's when it has a Vulkan loader, else SwiftShader where Chromium is installed.
 */
export function vulkanSetup(choice: VulkanChoice, base: NodeJS.ProcessEnv = process.env): VulkanSetup {
  if (choice === 'system' || (choice === 'auto' && hasSystemVulkan())) return { env: base };
  const software = swiftShaderEnv(base);
  if ('env' in software) return software;
  if (choice === 'swiftshader') throw new Error(`SwiftShader cannot be used: ${software.missing}`);
  return { env: base };
}
