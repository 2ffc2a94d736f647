export { createBackends, type BackendsOptions, type BackendsService } from './backends.js';
export type { HelperProcess, StartHelper } from './helper-process.js';
export { BUILT_IN_SPEED, pixelIterations, updatedSpeed } from './estimate.js';
