export { initBackend, activeBackend, BACKEND_CHOICES } from './backend/index.js';
export type { BackendChoice, BackendInfo, BackendKind } from './backend/index.js';
export { Vgg19, forwardFlops, expectedKernelShape, BGR_MEAN } from './vgg19.js';
export type { ConvWeights, Vgg19Weights } from './vgg19.js';
export { stylize } from './stylize.js';
export type { StylizeInputs, StylizeHooks } from './stylize.js';
export { planRender } from './plan.js';
export { estimateIterationBytes, maxRenderPixels, memoryLimitBytes } from './memory.js';
export type { RenderPlan, StagePlan } from './plan.js';
