// WebGPU in CI: `atelier check-gpu` on Chromium's SwiftShader (a Vulkan driver on the CPU; Dawn runs the
// same shaders there as on a GPU). The Gatys objective (three loss terms and the gradient, real VGG19
// weights, 32 px) and the wave network (128 px) against the CPU device, within GPU_TOLERANCE
// (src/main/cli/gpu-check.ts says why those bounds), and every node of the three graphs on the WebGPU
// provider. Small sizes: SwiftShader is slow, and CI time matters.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPU_TOLERANCE, type DeviceCheck } from '../../src/main/cli/gpu-check.js';
import { swiftShaderEnv } from '../../src/main/services/backends/vulkan.js';
import { atelier } from './support.js';

const swiftShader = swiftShaderEnv();
const missing = 'missing' in swiftShader ? swiftShader.missing : undefined;

describe.skipIf(missing !== undefined)('check-gpu on SwiftShader', () => {
  let dir: string;
  let checks: DeviceCheck[];
  let table: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'atelier-check-gpu-'));
    const json = path.join(dir, 'gpu-check.json');
    const run = await atelier(['check-gpu', '--devices', 'cpu,cuda,webgpu', '--vulkan', 'swiftshader', '--check-size', '32', '--no-bench', '--json', json], { cwd: dir });
    expect(run.stderr).toBe('cpu …\ncuda …\nwebgpu …\n');
    expect(run.code).toBe(0);
    table = run.stdout;
    ({ checks } = JSON.parse(await readFile(json, 'utf8')) as { checks: DeviceCheck[] });
  }, 600_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs the Gatys objective and an instant network on WebGPU as the CPU device does', () => {
    const webgpu = checks.find((c) => c.device === 'webgpu')!;
    expect(webgpu).toMatchObject({ started: true, adapter: 'SwiftShader (software Vulkan)', objective: { size: 32 }, instant: { size: 128 } });
    expect(webgpu.objective!.termsError).toBeLessThan(GPU_TOLERANCE.objective);
    expect(webgpu.objective!.gradError).toBeLessThan(GPU_TOLERANCE.objective);
    expect(webgpu.instant!.rmse).toBeLessThan(GPU_TOLERANCE.instantRmse);
    expect(table).toMatch(/webgpu.*SwiftShader \(software Vulkan\).*ok: terms/);
  });

  it('places every node of the Gatys graphs and the instant network on the WebGPU provider', () => {
    const webgpu = checks.find((c) => c.device === 'webgpu')!;
    expect(webgpu.placement!.map((p) => p.graph)).toEqual(['Gatys targets', 'Gatys objective', 'instant (wave)']);
    for (const { graph, ops, total } of webgpu.placement!) {
      expect(total, graph).toBeGreaterThan(40);
      expect(ops.filter((o) => o.provider !== 'WebGpuExecutionProvider'), graph).toEqual([]);
    }
  });

  it('lists the devices that do not start with the reason, and the CPU as the reference', () => {
    expect(checks.map((c) => [c.device, c.started])).toEqual([['cpu', true], ['cuda', false], ['webgpu', true]]);
    expect(checks[1]!.reason).toMatch(/the cuda device could not start: .*run `npm run install:cuda`/);
    expect(checks[0]).toEqual({ device: 'cpu', started: true });
  });
});

if (missing) console.log(`check-gpu on SwiftShader: skipped, ${missing}`);
