import { Option, type Command } from 'commander';
import { VGG_NETWORKS } from '../../common/networks.js';
import { COLOUR_TRANSFERS, INITS, LOSS_NORMALIZATIONS, MODES, OPTIMIZERS, POOLINGS, SCHEDULES, TV_KINDS, type RenderSettingsInput } from '../../common/settings.js';
import { AtelierError } from '../../common/errors.js';
import { DEVICE_CHOICES, planRender, type BackendChoice, type OnnxDeviceChoice } from '../engine/index.js';
import { modelsLocation } from '../services/models/index.js';
import { renderFiles, type RenderRequest, type RenderResult } from '../services/render/index.js';
import { checkOutputs, checkInputsAndOutputs, saveImage, saveReport, type Saved } from './outputs.js';
import { backendOption, collect, formatDuration, formatLoss, nameList } from './parse.js';
import { listIn, numberIn, settingNumber, wholeNumber } from './ranges.js';
import { RenderProgressBar } from './progress-bar.js';

/** Far above any machine's useful thread count: a slip like 10000 is refused rather than started. */
const MAX_WASM_THREADS = 256;

interface RenderOptions {
  content?: string;
  style: string[];
  styleWeight?: number[];
  out: string;
  report?: string;
  mode: RenderSettingsInput['mode'];
  size?: number;
  scales?: number[];
  iterations?: number[];
  schedule?: RenderSettingsInput['schedule'];
  network?: RenderSettingsInput['network'];
  optimizer?: RenderSettingsInput['optimizer'];
  learningRate?: number;
  historySize?: number;
  init?: string;
  seed?: number;
  contentLayers?: string[];
  styleLayers?: string[];
  styleLayerWeights?: number[];
  contentWeight?: number;
  styleLossWeight?: number;
  tvWeight?: number;
  tvKind?: RenderSettingsInput['tvKind'];
  pooling?: RenderSettingsInput['pooling'];
  keepColors?: boolean;
  styleScale?: number;
  lossNormalization?: RenderSettingsInput['lossNormalization'];
  colourTransfer?: RenderSettingsInput['colourTransfer'];
  progressEvery?: number;
  backend: BackendChoice;
  device: OnnxDeviceChoice;
  threads?: number;
  modelsDir?: string;
}

export function registerRenderCommand(program: Command): void {
  program
    .command('render')
    .description('paint a content photo in the style of one or more images (Gatys et al. 2015)')
    .option('--content <file>', 'content photo (not needed with --mode texture)')
    .option('--style <file>', 'style image; repeat for several styles', collect(String), [])
    .option('--style-weight <w>', 'blend weight of the style at the same position; repeat once per --style', collect(numberIn(settingNumber('styleBlend'))))
    .requiredOption('--out <file>', 'output image (.png, .jpg, .webp, .tif or .avif)')
    .option('--report <file>', 'write a JSON report: settings, backend, stages, timings, initial and final losses')
    .addOption(new Option('--mode <mode>', 'transfer, content reconstruction, or texture synthesis').choices(MODES).default('transfer'))
    .option('--size <px>', 'long side of the result in pixels (default 512)', numberIn(settingNumber('size')))
    .option('--scales <list>', 'coarse-to-fine sizes, e.g. 128,256,512 (the last equals --size); default chosen from --size', listIn(settingNumber('scales')))
    .option('--iterations <n>', 'iterations per stage: one number for all stages, or a list like 300,100,20', listIn(settingNumber('iterations')))
    .addOption(new Option('--schedule <kind>', 'automatic iterations when --iterations is not given: standard, or finest (about five times longer, closest to the reference)').choices(SCHEDULES))
    .addOption(new Option('--network <name>', 'VGG network for the losses (default vgg19; vgg16 must be installed: atelier models install --only vgg16)').choices(VGG_NETWORKS))
    .addOption(new Option('--optimizer <name>', 'pixel optimizer (default lbfgs)').choices(OPTIMIZERS))
    .option('--learning-rate <lr>', 'step size in pixel units: Adam\'s, and gradient descent\'s mean step (default 5)', numberIn(settingNumber('learningRate')))
    .option('--history-size <m>', 'L-BFGS history length (default 10)', numberIn(settingNumber('historySize')))
    .option('--init <start>', `starting image: ${INITS.filter((i) => i !== 'image').join(', ')}, or an image file`)
    .option('--seed <n>', 'random seed for noise (default 0)', numberIn(settingNumber('seed')))
    .option('--content-layers <list>', 'VGG19 layers for the content loss (default conv4_2)', nameList)
    .option('--style-layers <list>', 'VGG19 layers for the style loss (default conv1_1,conv2_1,conv3_1,conv4_1,conv5_1)', nameList)
    .option('--style-layer-weights <list>', 'weight of each style layer (default equal)', listIn(settingNumber('styleLayerWeights')))
    .option('--content-weight <α>', 'content loss weight α (default 1)', numberIn(settingNumber('contentWeight')))
    .option('--style-loss-weight <β>', 'style loss weight β', numberIn(settingNumber('styleWeight')))
    .option('--tv-weight <γ>', 'total variation weight γ', numberIn(settingNumber('tvWeight')))
    .addOption(new Option('--tv-kind <kind>', 'total variation: l1, or squared (exponent 1.25)').choices(TV_KINDS))
    .addOption(new Option('--pooling <kind>', 'VGG pooling (default max)').choices(POOLINGS))
    .option('--keep-colors', 'keep the colours of the content photo (the result\'s luminance with the photo\'s chroma, after the transfer)')
    .addOption(new Option('--colour-transfer <kind>', 'colour control before the transfer: none, luminance (paint the luminance only, keep the photo\'s colours), or match (the style image recoloured to the photo\'s colour statistics)').choices(COLOUR_TRANSFERS))
    .addOption(new Option('--loss-normalization <kind>', 'relative (each term against its target: the default, version 2\'s units) or paper (Gatys et al.\'s, version 1\'s units)').choices(LOSS_NORMALIZATIONS))
    .option('--style-scale <s>', 'the style image\'s long side as a multiple of each stage\'s (default 1): above 1 finer strokes, below 1 larger', numberIn(settingNumber('styleScale')))
    .option('--progress-every <n>', 'iterations between progress updates (default 10)', numberIn(settingNumber('progressEvery')))
    .addOption(backendOption('compute backend (auto: tfjs-node-gpu, onnx, tfjs-node, wasm, cpu, the first that starts)'))
    .addOption(new Option('--device <name>', 'onnx execution provider (auto: a GPU provider that starts, else cpu)').choices(DEVICE_CHOICES).default('auto'))
    .addOption(new Option('--threads <n>', 'WebAssembly threads (default: all cores)').argParser(numberIn(wholeNumber(1, MAX_WASM_THREADS))).env('ATELIER_WASM_THREADS'))
    .option('--models-dir <dir>', 'where the weights are installed (default: the models folder of this checkout)')
    .action(async (options: RenderOptions) => {
      process.exitCode = await runRender(options);
    });
}

function toRequest(options: RenderOptions): RenderRequest {
  if (options.styleWeight && options.styleWeight.length !== options.style.length) {
    const styles = `${options.style.length} --style image${options.style.length === 1 ? '' : 's'}`;
    throw new AtelierError('BAD_INPUT', `--style-weight is given ${options.styleWeight.length} times for ${styles}: give one per --style, in the same order, or none`);
  }
  const initIsKeyword = options.init === undefined || (INITS as readonly string[]).includes(options.init);
  const settings: RenderSettingsInput = {
    mode: options.mode,
    size: options.size,
    scales: options.scales,
    iterations: options.iterations?.length === 1 ? options.iterations[0] : options.iterations,
    schedule: options.schedule,
    network: options.network,
    optimizer: options.optimizer,
    learningRate: options.learningRate,
    historySize: options.historySize,
    init: initIsKeyword ? (options.init as RenderSettingsInput['init']) : 'image',
    seed: options.seed,
    contentLayers: options.contentLayers as RenderSettingsInput['contentLayers'],
    styleLayers: options.styleLayers as RenderSettingsInput['styleLayers'],
    styleLayerWeights: options.styleLayerWeights,
    contentWeight: options.contentWeight,
    styleWeight: options.styleLossWeight,
    tvWeight: options.tvWeight,
    tvKind: options.tvKind,
    pooling: options.pooling,
    keepColors: options.keepColors,
    styleScale: options.styleScale,
    lossNormalization: options.lossNormalization,
    colourTransfer: options.colourTransfer,
    progressEvery: options.progressEvery,
  };
  return {
    content: options.content,
    styles: options.style.map((file, i) => ({ path: file, weight: options.styleWeight?.[i] ?? 1 })),
    ...(!initIsKeyword && { initImage: options.init }),
    // Unset options are left out so the settings schema's defaults apply.
    settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as RenderSettingsInput,
    backend: options.backend,
    device: options.device,
    ...(options.threads && { wasmThreads: options.threads }),
    ...(options.modelsDir && { models: modelsLocation({ dir: options.modelsDir }) }),
  };
}

/**
 * Settings that do not fit together (scales against the size, iteration counts against the stages, a
 * mode without its images) are refused here, before any file is read or the network loads: the engine's
 * own plan, on stand-in image sizes, is the check.
 */
function checkSettings(request: RenderRequest): void {
  const anySize = { width: 64, height: 64 };
  planRender(request.settings, {
    ...(request.content !== undefined && { content: anySize }),
    styles: request.styles.map(() => anySize),
    ...(request.initImage !== undefined && { initImage: request.initImage }),
  });
}

async function runRender(options: RenderOptions): Promise<number> {
  const request = toRequest(options);
  checkSettings(request);
  await checkInputsAndOutputs(
    [['--out', options.out], ['--report', options.report]],
    [['--content', request.content], ...request.styles.map((s) => ['--style', s.path] as const), ['--init', request.initImage]],
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const outputs = await checkOutputs(options.out, options.report, log);
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after this iteration and saving the best image so far (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  const bar = new RenderProgressBar();
  const started = Date.now();
  let result: RenderResult;
  try {
    result = await renderFiles(request, { onProgress: (update) => bar.update(update), signal: controller.signal, previews: false });
  } finally {
    bar.stop();
    process.off('SIGINT', onInterrupt);
  }
  const image = await saveImage(outputs.image, result.image);
  const { final } = result.losses;
  log(
    `${result.cancelled ? 'cancelled; saved the best image so far' : 'done'}: ${image.path} (${result.image.width}×${result.image.height}) ` +
      `in ${formatDuration(Date.now() - started)} on ${describeBackend(result)}; loss ${formatLoss(result.losses.initial.total)} → ${formatLoss(final.total)}`,
  );
  const report = outputs.report && await saveReport(outputs.report.path, reportOf(image.path, request, result, Date.now() - started));
  const rescued = [rescueNote('image', image), report && rescueNote('report', report)].filter((note) => note !== undefined);
  for (const note of rescued) log(note);
  if (rescued.length > 0) return 1;
  return result.cancelled ? 130 : 0;
}

/** A line for a file that went to the fallback folder instead of where it was asked for. */
function rescueNote(what: string, saved: Saved): string | undefined {
  return 'failure' in saved ? `atelier: ${saved.failure}; the ${what} was saved instead to ${saved.path}` : undefined;
}

function describeBackend(result: RenderResult): string {
  const { kind, threads, device } = result.backendInfo;
  const name = device ? `${kind} ${device}` : kind;
  return threads && threads > 1 ? `${name} (${threads} threads)` : name;
}

function reportOf(out: string, request: RenderRequest, result: RenderResult, totalMs: number): unknown {
  return {
    content: request.content ?? null,
    styles: request.styles,
    initImage: request.initImage ?? null,
    settings: { ...result.plan.settings, init: result.plan.init, styleBlend: result.plan.styleBlend },
    backend: {
      kind: result.backendInfo.kind, threads: result.backendInfo.threads ?? null, skipped: result.backendInfo.skipped,
      device: result.backendInfo.device ?? null, deviceSkipped: result.backendInfo.deviceSkipped ?? [],
    },
    cancelled: result.cancelled,
    output: { file: out, width: result.image.width, height: result.image.height },
    stages: result.stages.map((stage) => ({ ...stage, msPerIteration: stage.iterations ? stage.ms / stage.iterations : null })),
    timings: { totalMs },
    losses: result.losses,
  };
}
