import type { RenderOutcome, RenderProgress, RgbImage, StageReport } from '../../common/progress.js';
import { AtelierError } from '../../common/errors.js';
import type { LossTerms, RenderSettingsInput } from '../../common/settings.js';
import { activeBackend } from './backend/index.js';
import type { Executor, NetworkImage, StageEvaluation } from './executor.js';
import { fromNetworkSpace, imageToTensor, keepContentColors, resizeTensor, tensorToImage, toNetworkSpace } from './image-tensor.js';
import { matchColours, photoLuminance, styleLuminanceMatched } from './colour-transfer.js';
import { createOptimizer, type Optimizer } from './optimizers/index.js';
import { checkMemory, planRender, type RenderPlan, type StagePlan } from './plan.js';
import { fitLongSide } from './sizes.js';
import { Speedometer } from './speedometer.js';
import * as tf from './tf.js';

export interface StylizeInputs {
  content?: RgbImage;
  styles: RgbImage[];
  /** The starting image when settings.init is 'image'. */
  initImage?: RgbImage;
}

export interface StylizeHooks {
  onProgress?: (progress: RenderProgress) => void;
  signal?: AbortSignal;
  /** Attach a preview picture to progress events (default true); benchmarks turn it off. */
  previews?: boolean;
  /** The speed the estimate before the render assumed (see speedometer.ts): time left starts from it. */
  expectedMsPerPixelIteration?: number;
}

const PREVIEW_LONG_SIDE = 256;

/** The pixels being optimized, in network space, with their stage's size. */
interface Pixels {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * Paints `content` in the style of `styles` by optimizing the pixels (Gatys et al. 2015), stage by
 * stage from coarse to fine, with the objective computed by `executor`. Cancelling through `signal`
 * stops within one iteration and resolves with the best image so far. Image handling (scaling,
 * colour spaces, previews) is small work done with tfjs whatever the executor; every tensor it makes
 * is released before it returns.
 */
export async function stylize(executor: Executor, inputs: StylizeInputs, settings: RenderSettingsInput, hooks: StylizeHooks = {}): Promise<RenderOutcome & { plan: RenderPlan }> {
  const plan = planRender(settings, { content: inputs.content, styles: inputs.styles, initImage: inputs.initImage });
  // The memory rule is the executor's runtime: onnx's own, else the tfjs backend's.
  const backend = executor.kind === 'onnx' ? 'onnx' : (activeBackend()?.kind ?? tf.getBackend());
  for (const stage of plan.stages) checkMemory(stage, backend);

  const sources = prepareSources(plan, inputs);
  const started = performance.now();
  const clock = new Speedometer(plan.stages, hooks.expectedMsPerPixelIteration);
  const reports: StageReport[] = [];
  let initial: LossTerms | undefined;
  let best: { image: Pixels; terms: LossTerms } | undefined;
  let cancelled = false;
  let improved = false;

  try {
    for (const [index, stage] of plan.stages.entries()) {
      const start = best ? resizePixels(best.image, stage) : startImage(plan, stage, sources);
      const stageStarted = performance.now();
      const result = await runStage(executor, plan, stage, sources, start, hooks, (iteration, terms, x) => {
        initial ??= terms;
        clock.record(index, performance.now() - stageStarted, iteration);
        if ((iteration + 1) % plan.settings.progressEvery === 0 || iteration === stage.iterations - 1) {
          hooks.onProgress?.({
            stage: index, stages: plan.stages.length, stageSize: stage.size,
            iteration: iteration + 1, iterations: stage.iterations,
            done: clock.done(index, iteration + 1), total: clock.total,
            losses: terms, elapsedMs: performance.now() - started, etaMs: clock.eta(index, iteration + 1),
            ...(hooks.previews !== false && { preview: preview(x, sources.colours) }),
          });
        }
      });
      best = result.best;
      clock.finishStage();
      improved ||= result.improved;
      reports.push({ size: stage.size, width: stage.width, height: stage.height, iterations: result.iterations, ms: performance.now() - stageStarted });
      if (result.cancelled) {
        cancelled = true;
        break;
      }
    }
    // One step may be too small to measure (L-BFGS caps its first); from two on, standing still is a failure.
    const ran = reports.reduce((sum, r) => sum + r.iterations, 0);
    if (ran > 1 && !improved && !cancelled) {
      throw new AtelierError('RENDER_DIVERGED', `no iteration lowered the loss (${best!.terms.total.toExponential(2)}): the result would be the starting image. ${remedy(plan)}`);
    }
    const last = plan.stages.at(-1)!;
    const finalImage = tf.tidy(() => {
      let rgb = fromNetworkSpace(resizeTensor(pixelsToTensor(best!.image), last.height, last.width));
      if (sources.colours) rgb = keepContentColors(rgb, resizeTensor(sources.colours, last.height, last.width));
      return rgb;
    });
    const image = tensorToImage(finalImage);
    finalImage.dispose();
    return {
      image, plan, cancelled, backend, stages: reports,
      losses: { initial: initial ?? best!.terms, final: best!.terms },
    };
  } finally {
    tf.dispose([sources.content, ...sources.styles, sources.init, sources.colours].filter((t): t is tf.Tensor4D => t !== undefined));
  }
}

interface Sources {
  content?: tf.Tensor4D;
  styles: tf.Tensor4D[];
  init?: tf.Tensor4D;
  /** Set when the result takes the photo's colours (keepColors, luminance-only transfer): the photo. */
  colours?: tf.Tensor4D;
}

/** The images as tensors, with the colour control applied (colour-transfer.ts). */
function prepareSources(plan: RenderPlan, inputs: StylizeInputs): Sources {
  const { colourTransfer, keepColors } = plan.settings;
  return tf.tidy(() => {
    const photo = inputs.content && imageToTensor(inputs.content);
    let content = photo;
    let styles = inputs.styles.map(imageToTensor);
    if (photo && colourTransfer === 'luminance') {
      content = photoLuminance(photo);
      styles = styles.map((style) => styleLuminanceMatched(style, photo));
    } else if (photo && colourTransfer === 'match') {
      styles = styles.map((style) => matchColours(style, photo));
    }
    const colours = photo && (keepColors || colourTransfer === 'luminance') ? photo : undefined;
    return {
      ...(content && { content }),
      styles,
      ...(inputs.initImage && { init: imageToTensor(inputs.initImage) }),
      // Its own copy: `content` may be the photo itself, and each is released once.
      ...(colours && { colours: content === colours ? tf.clone(colours) : colours }),
    };
  });
}

function pixelsToTensor(pixels: Pixels): tf.Tensor4D {
  return tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3]);
}

function tensorToPixels(tensor: tf.Tensor4D): Pixels {
  const [, height, width] = tensor.shape;
  const data = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return { data: Float32Array.from(data), width, height };
}

function resizePixels(pixels: Pixels, stage: StagePlan): Pixels {
  return tensorToPixels(tf.tidy(() => resizeTensor(pixelsToTensor(pixels), stage.height, stage.width)));
}

/** The first stage's starting image, in network space. */
function startImage(plan: RenderPlan, stage: StagePlan, sources: Sources): Pixels {
  const { width, height } = stage;
  return tensorToPixels(tf.tidy(() => {
    switch (plan.init) {
      case 'content':
        return toNetworkSpace(resizeTensor(sources.content!, height, width));
      case 'style':
        return toNetworkSpace(resizeTensor(sources.styles[0]!, height, width));
      case 'image':
        return toNetworkSpace(resizeTensor(sources.init!, height, width));
      case 'noise':
        return toNetworkSpace(tf.randomUniform([1, height, width, 3], 0, 255, 'float32', plan.settings.seed) as tf.Tensor4D);
    }
  }));
}

/** The smallest style image VGG19 can take down to conv5_1 (four poolings). */
const MIN_STYLE_SIDE = 32;

/**
 * The stage's source images in network space: the content at the stage's size, each style with its long
 * side at `styleScale` times the stage's (neural-style's -style_scale, here per stage).
 */
function stageSources(plan: RenderPlan, stage: StagePlan, sources: Sources): { content?: NetworkImage; styles: NetworkImage[] } {
  const styleSide = Math.max(MIN_STYLE_SIDE, Math.round(stage.size * plan.settings.styleScale));
  return {
    ...(sources.content && { content: tensorToPixels(tf.tidy(() => toNetworkSpace(resizeTensor(sources.content!, stage.height, stage.width)))) }),
    styles: sources.styles.map((style) => {
      const fit = fitLongSide(style.shape[2], style.shape[1], styleSide);
      return tensorToPixels(tf.tidy(() => toNetworkSpace(resizeTensor(style, fit.height, fit.width))));
    }),
  };
}

function createStageOptimizer(plan: RenderPlan): Optimizer {
  const { optimizer, learningRate, historySize } = plan.settings;
  switch (optimizer) {
    case 'adam':
    case 'gd':
      return createOptimizer({ kind: optimizer, learningRate });
    case 'lbfgs':
      return createOptimizer({ kind: 'lbfgs', historySize });
  }
}

type IterationListener = (iteration: number, terms: LossTerms, x: Pixels) => void;

async function runStage(
  executor: Executor, plan: RenderPlan, stage: StagePlan, sources: Sources, start: Pixels, hooks: StylizeHooks, onIteration: IterationListener,
): Promise<{ best: { image: Pixels; terms: LossTerms }; iterations: number; cancelled: boolean; improved: boolean }> {
  const prepared = await executor.prepare({ plan, stage, ...stageSources(plan, stage, sources) });
  const x: Pixels = { ...start, data: Float32Array.from(start.data) };
  const optimizer = createStageOptimizer(plan);
  let best: { image: Pixels; terms: LossTerms } | undefined;
  let improved = false;
  let iteration = 0;
  let cancelled = false;
  try {
    for (; iteration < stage.iterations; iteration++) {
      // Some executors block while they compute; yielding lets an abort (Ctrl-C, a Cancel click) arrive.
      await new Promise((resolve) => setImmediate(resolve));
      if (hooks.signal?.aborted) {
        cancelled = true;
        break;
      }
      const before = Float32Array.from(x.data);
      let evaluated!: StageEvaluation;
      await optimizer.step(x.data, async (image) => {
        evaluated = checkFinite(await prepared.evaluate(image), plan, stage, iteration);
        return { loss: evaluated.terms.total, grad: evaluated.grad };
      });
      const { terms } = evaluated;
      if (!best || terms.total < best.terms.total) {
        best = { image: { ...x, data: before }, terms };
        improved = iteration > 0;
      }
      onIteration(iteration, terms, x);
    }
    // The image after the last step was never evaluated; when nothing beat the start it is measured, so
    // that a stage whose only progress is its last step still counts.
    if (iteration > 0 && !improved) {
      const last = checkFinite(await prepared.evaluate(x.data), plan, stage, iteration);
      if (last.terms.total < best!.terms.total) {
        best = { image: x, terms: last.terms };
        improved = true;
      }
    }
    // No iteration ran (zero iterations, or cancelled at once): the start is the best there is.
    best ??= { image: x, terms: (await prepared.evaluate(x.data)).terms };
    return { best, iterations: iteration, cancelled, improved };
  } finally {
    optimizer.dispose();
    prepared.dispose();
  }
}

/** What to change when the optimization blows up or stands still, by optimizer. */
function remedy(plan: RenderPlan): string {
  const { optimizer, learningRate } = plan.settings;
  if (optimizer === 'lbfgs') return 'Try the Adam optimizer, or lower the style weight.';
  return `Lower the learning rate (now ${learningRate}), or use the L-BFGS optimizer.`;
}

/**
 * A NaN or infinite loss or gradient ends the render with the reason: passing it on would leave the
 * optimizer's pixels meaningless while the render still "finished".
 */
function checkFinite(evaluation: StageEvaluation, plan: RenderPlan, stage: StagePlan, iteration: number): StageEvaluation {
  const { terms, grad } = evaluation;
  let finite = Number.isFinite(terms.total);
  for (let i = 0; finite && i < grad.length; i++) finite = Number.isFinite(grad[i]!);
  if (finite) return evaluation;
  const what = Number.isFinite(terms.total) ? 'gradient' : `loss (${terms.total})`;
  throw new AtelierError(
    'RENDER_DIVERGED',
    `the ${what} stopped being a finite number at iteration ${iteration + 1} of the ${stage.width}×${stage.height} stage (${plan.settings.optimizer} optimizer). ${remedy(plan)}`,
  );
}

function preview(x: Pixels, colours: tf.Tensor4D | undefined): RgbImage {
  const { width, height } = x;
  const fit = fitLongSide(width, height, Math.min(PREVIEW_LONG_SIDE, Math.max(width, height)));
  const small = tf.tidy(() => {
    const rgb = fromNetworkSpace(resizeTensor(pixelsToTensor(x), fit.height, fit.width));
    return colours ? keepContentColors(rgb, resizeTensor(colours, fit.height, fit.width)) : rgb;
  });
  const image = tensorToImage(small);
  small.dispose();
  return image;
}
