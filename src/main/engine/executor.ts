import type { LossTerms } from '../../common/settings.js';
import type { RenderPlan, StagePlan } from './plan.js';

/** An image in network space (BGR, mean-subtracted; see `toNetworkSpace`) as [1, H, W, 3] floats. */
export interface NetworkImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** What a stage is computed from: the plan, the stage's size, and the source images fitted to it. */
export interface StageSetup {
  plan: RenderPlan;
  stage: StagePlan;
  /** The content image at the stage's size (absent for texture synthesis). */
  content?: NetworkImage;
  /** Each style image with its long side fitted to the stage's size. */
  styles: NetworkImage[];
}

/** Weighted loss terms at an image and their total's gradient with respect to its pixels ([1, H, W, 3]). */
export interface StageEvaluation {
  terms: LossTerms;
  grad: Float32Array;
}

/** A stage ready to run: its targets are computed; `evaluate` is one forward and backward pass. */
export interface PreparedStage {
  evaluate(image: Float32Array): Promise<StageEvaluation>;
  dispose(): void;
}

/**
 * Computes the style-transfer objective on some runtime. The coarse-to-fine loop, the optimizers,
 * progress and cancellation live in `stylize` and are the same for every executor.
 */
export interface Executor {
  /** Which runtime, for reports: 'tfjs' or 'onnx'. */
  readonly kind: 'tfjs' | 'onnx';
  prepare(setup: StageSetup): Promise<PreparedStage>;
}
