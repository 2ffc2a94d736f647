import type { StageReport } from '../../../common/progress.js';
import type { Preferences } from '../preferences/index.js';
// The engine's own model of time (pure arithmetic: importing it loads no TensorFlow).
import { pixelIterations } from '../../engine/index.js';

export { pixelIterations };

export type Speed = Preferences['speed'][string];

/**
 * Per backend, before this machine has measured its own: milliseconds per iteration per pixel, and
 * the fixed cost of a render (starting the process, loading the network). wasm is `npm run bench`'s
 * 512 px figure on the 2-core development machine (9,060 ms / 512², README); onnx is the README's
 * default 512 px render there (74 s of stages for 15.2 million pixel-iterations, session creation
 * included); the others have not been benched here, so they are scaled from wasm by their usual speed
 * (native TensorFlow about 2.5× faster on CPU, as PyTorch is; plain JS about 10× slower; a GPU about
 * 30× faster) until a render measures them.
 */
export const BUILT_IN_SPEED: Readonly<Record<string, Speed>> = {
  'tfjs-node-gpu': { msPerPixelIteration: 0.0346 / 30, startupMs: 10_000, renders: 0 },
  'tfjs-node': { msPerPixelIteration: 0.0346 / 2.5, startupMs: 10_000, renders: 0 },
  onnx: { msPerPixelIteration: 0.0049, startupMs: 5_000, renders: 0 },
  wasm: { msPerPixelIteration: 0.0346, startupMs: 20_000, renders: 0 },
  cpu: { msPerPixelIteration: 0.0346 * 10, startupMs: 20_000, renders: 0 },
};

/** For a backend no figure is known for (a new one): the slowest known, so the estimate errs long. */
export const UNKNOWN_SPEED: Speed = BUILT_IN_SPEED.cpu!;


/**
 * The speed a finished render measured, folded into what was known: the newest render counts half, so
 * the figure follows the machine (another program, a new driver) without one odd render ruling it.
 */
export function updatedSpeed(known: Speed | undefined, render: { stages: readonly StageReport[]; durationMs: number }): Speed | undefined {
  const work = pixelIterations(render.stages);
  const computeMs = render.stages.reduce((sum, s) => sum + s.ms, 0);
  if (work <= 0 || computeMs <= 0) return known;
  const measured = { msPerPixelIteration: computeMs / work, startupMs: Math.max(0, render.durationMs - computeMs) };
  if (!known || known.renders === 0) return { ...measured, renders: 1 };
  return {
    msPerPixelIteration: (known.msPerPixelIteration + measured.msPerPixelIteration) / 2,
    startupMs: (known.startupMs + measured.startupMs) / 2,
    renders: known.renders + 1,
  };
}
