import type { LossTerms } from './settings.js';

/** An RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * What a render is doing before its first progress event (the first render spends many seconds
 * there): starting the engine backend, reading the pictures, loading VGG19's weights, then painting
 * (the style's features and the first iterations, until progress takes over).
 */
export const RENDER_PHASES = ['engine', 'images', 'network', 'painting'] as const;
export type RenderPhase = (typeof RENDER_PHASES)[number];

/** What the engine reports while it paints; the CLI, the queue and the UI all consume this one shape. */
export interface RenderProgress {
  /** 0-based index of the coarse-to-fine stage. */
  stage: number;
  stages: number;
  /** Long side of this stage in pixels. */
  stageSize: number;
  /** Iterations done in this stage, and planned for it. */
  iteration: number;
  iterations: number;
  /** Iterations done over all stages, and planned over all stages. */
  done: number;
  total: number;
  losses: LossTerms;
  elapsedMs: number;
  /** Estimated time to finish, from the measured speed of each stage size. */
  etaMs: number;
  /** A small picture of the current result (long side ≤ 256 px). */
  preview?: RgbImage;
}

export interface StageReport {
  size: number;
  width: number;
  height: number;
  iterations: number;
  ms: number;
}

export interface RenderOutcome {
  image: RgbImage;
  losses: { initial: LossTerms; final: LossTerms };
  stages: StageReport[];
  /** True when the render was stopped early; `image` is then the best result so far. */
  cancelled: boolean;
  backend: string;
  /** onnx's execution provider, where the render ran on onnx. */
  device?: string;
}
