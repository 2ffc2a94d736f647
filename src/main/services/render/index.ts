export { renderFiles } from './render-files.js';
export type { RenderRequest, RenderResult, RenderUpdate } from './render-files.js';
export { loadExecutor } from './vgg19-model.js';
