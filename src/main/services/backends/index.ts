export { createBackends, type BackendsOptions, type BackendsService, type RenderEngine } from './backends.js';
export type { HelperProcess, StartHelper } from './helper-process.js';
export { BUILT_IN_SPEED, pixelIterations, updatedSpeed } from './estimate.js';
export { backendFromEnvironment } from './environment.js';
