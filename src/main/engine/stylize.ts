import type { RenderOutcome, RenderProgress, RgbImage, StageReport } from '../../common/progress.js';
import type { LossTerms, RenderSettingsInput } from '../../common/settings.js';
import { activeBackend } from './backend/index.js';
import { fitLongSide, fromNetworkSpace, imageToTensor, keepContentColors, resizeTensor, tensorToImage, toNetworkSpace } from './image-tensor.js';
import { computeTargets, disposeTargets, evaluate, type Targets } from './objective.js';
import { createOptimizer } from './optimizers/index.js';
import { checkMemory, planRender, type RenderPlan, type StagePlan } from './plan.js';
import * as tf from './tf.js';
import type { Vgg19 } from './vgg19.js';

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
}

const PREVIEW_LONG_SIDE = 256;

/**
 * Paints `content` in the style of `styles` by optimizing the pixels (Gatys et al. 2015), stage by
 * stage from coarse to fine. Cancelling through `signal` stops within one iteration and resolves with
 * the best image so far. Every tensor it makes is released before it returns.
 */
export async function stylize(vgg: Vgg19, inputs: StylizeInputs, settings: RenderSettingsInput, hooks: StylizeHooks = {}): Promise<RenderOutcome & { plan: RenderPlan }> {
  const plan = planRender(settings, { content: inputs.content, styles: inputs.styles, initImage: inputs.initImage });
  const backend = activeBackend()?.kind ?? tf.getBackend();
  for (const stage of plan.stages) checkMemory(stage, backend);

  const sources = tf.tidy(() => ({
    content: inputs.content && imageToTensor(inputs.content),
    styles: inputs.styles.map(imageToTensor),
    init: inputs.initImage && imageToTensor(inputs.initImage),
  }));
  const started = performance.now();
  const clock = new Speedometer(plan.stages);
  const reports: StageReport[] = [];
  let initial: LossTerms | undefined;
  let best: { image: tf.Tensor4D; terms: LossTerms } | undefined;
  let cancelled = false;

  try {
    for (const [index, stage] of plan.stages.entries()) {
      const start: tf.Tensor4D = best ? resizeTensor(best.image, stage.height, stage.width) : startImage(plan, stage, sources);
      best?.image.dispose();
      best = undefined;
      const stageStarted = performance.now();
      const result = await runStage(vgg, plan, stage, sources, start, hooks, (iteration, terms, x) => {
        initial ??= terms;
        clock.record(index, performance.now() - stageStarted, iteration);
        if ((iteration + 1) % plan.settings.progressEvery === 0 || iteration === stage.iterations - 1) {
          hooks.onProgress?.({
            stage: index, stages: plan.stages.length, stageSize: stage.size,
            iteration: iteration + 1, iterations: stage.iterations,
            done: clock.done(index, iteration + 1), total: clock.total,
            losses: terms, elapsedMs: performance.now() - started, etaMs: clock.eta(index, iteration + 1),
            ...(hooks.previews !== false && { preview: preview(x, plan, sources.content) }),
          });
        }
      });
      best = result.best;
      reports.push({ size: stage.size, width: stage.width, height: stage.height, iterations: result.iterations, ms: performance.now() - stageStarted });
      if (result.cancelled) {
        cancelled = true;
        break;
      }
    }
    const last = plan.stages.at(-1)!;
    const finalImage = tf.tidy(() => {
      let rgb = fromNetworkSpace(resizeTensor(best!.image, last.height, last.width));
      if (plan.settings.keepColors && sources.content) rgb = keepContentColors(rgb, resizeTensor(sources.content, last.height, last.width));
      return rgb;
    });
    const image = tensorToImage(finalImage);
    finalImage.dispose();
    return {
      image, plan, cancelled, backend, stages: reports,
      losses: { initial: initial ?? best!.terms, final: best!.terms },
    };
  } finally {
    best?.image.dispose();
    tf.dispose([sources.content, ...sources.styles, sources.init].filter((t): t is tf.Tensor4D => t !== undefined));
  }
}

interface Sources {
  content?: tf.Tensor4D;
  styles: tf.Tensor4D[];
  init?: tf.Tensor4D;
}

/** The first stage's starting image, in network space. */
function startImage(plan: RenderPlan, stage: StagePlan, sources: Sources): tf.Tensor4D {
  const { width, height } = stage;
  return tf.tidy(() => {
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
  });
}

type IterationListener = (iteration: number, terms: LossTerms, x: tf.Tensor4D) => void;

async function runStage(
  vgg: Vgg19, plan: RenderPlan, stage: StagePlan, sources: Sources, start: tf.Tensor4D, hooks: StylizeHooks, onIteration: IterationListener,
): Promise<{ best: { image: tf.Tensor4D; terms: LossTerms }; iterations: number; cancelled: boolean }> {
  const x = tf.variable(start, true);
  start.dispose();
  const stageSources = tf.tidy(() => ({
    content: sources.content && toNetworkSpace(resizeTensor(sources.content, stage.height, stage.width)),
    styles: sources.styles.map((style) => {
      const fit = fitLongSide(style.shape[2], style.shape[1], stage.size);
      return toNetworkSpace(resizeTensor(style, fit.height, fit.width));
    }),
  }));
  let targets: Targets;
  try {
    targets = computeTargets(vgg, plan, stageSources.content, stageSources.styles);
  } catch (error) {
    x.dispose();
    throw error;
  } finally {
    tf.dispose([stageSources.content, ...stageSources.styles].filter((t): t is tf.Tensor4D => t !== undefined));
  }
  const optimizer = plan.settings.optimizer === 'adam'
    ? createOptimizer({ kind: 'adam', learningRate: plan.settings.learningRate })
    : createOptimizer({ kind: 'lbfgs', historySize: plan.settings.historySize });
  let best: { image: tf.Tensor4D; terms: LossTerms } | undefined;
  let iteration = 0;
  let cancelled = false;
  try {
    for (; iteration < stage.iterations; iteration++) {
      // The loop is synchronous math; yielding lets an abort (Ctrl-C, a Cancel click) arrive.
      await new Promise((resolve) => setImmediate(resolve));
      if (hooks.signal?.aborted) {
        cancelled = true;
        break;
      }
      const before = tf.clone(x) as tf.Tensor4D;
      let terms!: LossTerms;
      optimizer.step(x, (image) => {
        const evaluated = evaluate(vgg, plan, targets, image);
        terms = evaluated.terms;
        return evaluated;
      });
      if (!best || terms.total < best.terms.total) {
        best?.image.dispose();
        best = { image: before, terms };
      } else {
        before.dispose();
      }
      onIteration(iteration, terms, x);
    }
    if (!best) {
      // No iteration ran (zero iterations, or cancelled at once): the start is the best there is.
      const evaluated = evaluate(vgg, plan, targets, x);
      evaluated.grad.dispose();
      best = { image: tf.clone(x) as tf.Tensor4D, terms: evaluated.terms };
    }
    return { best, iterations: iteration, cancelled };
  } catch (error) {
    best?.image.dispose();
    throw error;
  } finally {
    optimizer.dispose();
    x.dispose();
    disposeTargets(targets);
  }
}

function preview(x: tf.Tensor4D, plan: RenderPlan, content: tf.Tensor4D | undefined): RgbImage {
  const [, height, width] = x.shape;
  const fit = fitLongSide(width, height, Math.min(PREVIEW_LONG_SIDE, Math.max(width, height)));
  const small = tf.tidy(() => {
    const rgb = fromNetworkSpace(resizeTensor(x, fit.height, fit.width));
    return plan.settings.keepColors && content ? keepContentColors(rgb, resizeTensor(content, fit.height, fit.width)) : rgb;
  });
  const image = tensorToImage(small);
  small.dispose();
  return image;
}

/**
 * Time estimates. An iteration's cost grows with the pixel count, so a stage not yet run is
 * predicted from the stage running now, scaled by area.
 */
class Speedometer {
  private readonly msPerIteration: (number | undefined)[];
  readonly total: number;

  constructor(private readonly stages: StagePlan[]) {
    this.msPerIteration = stages.map(() => undefined);
    this.total = stages.reduce((sum, s) => sum + s.iterations, 0);
  }

  record(stage: number, elapsedMs: number, iteration: number): void {
    this.msPerIteration[stage] = elapsedMs / (iteration + 1);
  }

  done(stage: number, iteration: number): number {
    return this.stages.slice(0, stage).reduce((sum, s) => sum + s.iterations, 0) + iteration;
  }

  eta(stage: number, iteration: number): number {
    const current = this.stages[stage]!;
    const msPerPixel = (this.msPerIteration[stage] ?? 0) / (current.width * current.height);
    return this.stages.slice(stage).reduce((sum, s, i) => {
      const left = i === 0 ? s.iterations - iteration : s.iterations;
      return sum + left * msPerPixel * s.width * s.height;
    }, 0);
  }
}
