import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ONNX_DEVICE_CHOICES, type OnnxDevice } from '../../common/devices.js';
import { VULKAN_CHOICES, vulkanSetup, type VulkanChoice } from '../services/backends/vulkan.js';
import { checkDevice, GPU_TOLERANCE, type CheckOptions, type DeviceCheck } from './gpu-check.js';
import { nameList } from './parse.js';
import { listIn, numberIn, wholeNumber } from './ranges.js';

interface CheckGpuOptions extends CheckOptions {
  devices: string[];
  vulkan: VulkanChoice;
  json: string;
  one?: OnnxDevice;
  adapter?: string;
}

const NAMED_DEVICES = ONNX_DEVICE_CHOICES.filter((d): d is OnnxDevice => d !== 'auto');

export function registerCheckGpuCommand(program: Command): void {
  program
    .command('check-gpu')
    .description('on each onnx device that starts: correctness against the CPU device, where the graphs run, the Gatys iteration at --sizes and one instant look; prints one table and writes JSON')
    .option('--devices <list>', `devices to try (${NAMED_DEVICES.join(', ')})`, deviceList, [...NAMED_DEVICES])
    .option('--sizes <list>', 'square sizes for the Gatys iteration benchmark', listIn(wholeNumber(16, 8192)), [512])
    .option('--check-size <px>', 'size of the correctness check and the placement report (the instant check paints 4× that)', numberIn(wholeNumber(16, 1024)), 64)
    .option('--instant-size <px>', 'long side of the picture the instant benchmark paints (4:3)', numberIn(wholeNumber(16, 8192)), 1024)
    .option('--iterations <n>', 'timed runs per benchmark (the median is reported)', numberIn(wholeNumber(1, 1000)), 3)
    .addOption(new Option('--vulkan <driver>', 'what WebGPU runs on: the system\'s drivers, Chromium\'s SwiftShader (software), or auto (SwiftShader only where the system has no Vulkan loader)').choices(VULKAN_CHOICES).default('auto'))
    .option('--json <file>', 'where to write the results', 'gpu-check.json')
    .option('--no-bench', 'skip the benchmarks: which devices start, correctness and placement only')
    .addOption(new Option('--one <device>', 'check one device in this process and print its JSON (what each child process runs)').choices(NAMED_DEVICES).hideHelp())
    .addOption(new Option('--adapter <words>').hideHelp())
    .action(async (options: CheckGpuOptions) => {
      if (options.one) {
        process.stdout.write(`\n${JSON.stringify(await checkDevice(options.one, options, options.adapter))}\n`);
        return;
      }
      const checks: DeviceCheck[] = [];
      for (const device of options.devices) {
        process.stderr.write(`${device} …\n`);
        checks.push(await checkInChild(device as OnnxDevice, options));
      }
      await writeFile(options.json, `${JSON.stringify({ tolerance: GPU_TOLERANCE, checks }, null, 2)}\n`);
      console.table(checks.map((check) => tableRow(check, checks.find((c) => c.device === 'cpu'))));
      for (const check of checks.filter((c) => !c.started)) console.log(`${check.device}: ${check.reason}`);
      console.log(`written: ${options.json}`);
    });
}

/** A commander parser for --devices: each name one of the onnx devices, or one line saying which are. */
function deviceList(value: string): string[] {
  const names = nameList(value);
  const unknown = names.find((name) => !NAMED_DEVICES.includes(name as OnnxDevice));
  if (unknown !== undefined) throw new InvalidArgumentError(`"${unknown}" is not one of ${NAMED_DEVICES.join(', ')}.`);
  return names;
}

/** One process per device: a process starts one onnx device, and WebGPU's Vulkan setup is fixed when a process starts. */
async function checkInChild(device: OnnxDevice, options: CheckGpuOptions): Promise<DeviceCheck> {
  const setup = device === 'webgpu' ? vulkanSetup(options.vulkan) : { env: process.env, adapter: undefined };
  const args = [process.argv[1]!, 'check-gpu', '--one', device, '--sizes', options.sizes.join(','), '--check-size', String(options.checkSize),
    '--instant-size', String(options.instantSize), '--iterations', String(options.iterations), ...(options.bench ? [] : ['--no-bench']),
    ...(setup.adapter ? ['--adapter', setup.adapter] : [])];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: setup.env, maxBuffer: 64 * 1024 ** 2 });
    // The last line is ours; a driver may have printed before it.
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as DeviceCheck;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1);
    return { device, started: false, reason: `its check process failed: ${stderr || (error instanceof Error ? error.message : String(error))}` };
  }
}

function tableRow(check: DeviceCheck, cpu: DeviceCheck | undefined): Record<string, string | number> {
  const runsOn = check.adapter ?? (check.device === 'cpu' ? 'ORT CPU kernels' : 'the system driver');
  const row: Record<string, string | number> = { device: check.device, starts: check.started ? 'yes' : 'no', 'runs on': check.started ? runsOn : '' };
  if (!check.started) return row;
  if (check.objective && check.instant) {
    const ok = Math.max(check.objective.termsError, check.objective.gradError) < GPU_TOLERANCE.objective && check.instant.rmse < GPU_TOLERANCE.instantRmse;
    row['vs CPU'] = `${ok ? 'ok' : 'WRONG'}: terms ${check.objective.termsError.toExponential(1)}, grad ${check.objective.gradError.toExponential(1)}, instant RMSE ${check.instant.rmse.toFixed(3)}`;
  }
  if (check.placement) row['nodes on CPU'] = check.placement.map((p) => p.onCpu).join(' / ');
  for (const b of check.bench ?? []) {
    row[`Gatys ${b.size} px ms/it`] = Math.round(b.msPerIteration);
    const base = cpu?.bench?.find((c) => c.size === b.size);
    if (base && check.device !== 'cpu') row[`× CPU at ${b.size} px`] = Number((base.msPerIteration / b.msPerIteration).toFixed(2));
  }
  if (check.instantBench) row[`instant ${check.instantBench.width}×${check.instantBench.height} ms`] = Math.round(check.instantBench.ms);
  return row;
}
