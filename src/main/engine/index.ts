// The engine's cheap entry: planning, sizes, memory rules and time estimates, plain arithmetic that
// loads no TensorFlow.js or ONNX Runtime, so the studio's main process imports it in-process. The
// runtimes (backends, networks, stylize) are in ./runtime.ts, imported where renders run.
export { BACKEND_CHOICES, type BackendChoice, type BackendKind } from '../../common/backends.js';
export { ONNX_DEVICE_CHOICES as DEVICE_CHOICES, type OnnxDeviceChoice } from '../../common/devices.js';
export { checkMemory, planRender, type RenderPlan, type StagePlan } from './plan.js';
export { estimateIterationBytes, maxRenderPixels } from './memory.js';
export { expectedBackend } from './backend/expected.js';
export { fitLongSide } from './sizes.js';
export { pixelIterations } from './speedometer.js';
export type { BackendInfo } from './backend/index.js';
export type { ConvWeights, Vgg19Weights, VggWeights } from './vgg19.js';
export type { Executor, PreparedStage, StageSetup, StageEvaluation, NetworkImage } from './executor.js';
export type { StylizeInputs, StylizeHooks } from './stylize.js';
export type { DistanceOptions, Distances } from './distances.js';
export type { FastStyleLoader, FastStyleNet, FastStyleVariable, FastStyleWeights, InstantOptions, OnnxFastStyleOptions } from './fast-style/index.js';
export { blendStats, colourDistance, colourStats, type ColourStats } from './colour-stats.js';
