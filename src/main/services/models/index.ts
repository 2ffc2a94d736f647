export { convertKerasH5 } from './convert.js';
export { ModelsCorruptError, ModelsDownloadError, ModelsMissingError, type ModelsErrorCode } from './errors.js';
export { installModels, type InstallOptions, type InstallProgress, type InstalledNetwork } from './install.js';
export { readLayersModelWeights } from './layers-model.js';
export { loadVgg19Weights, loadVggWeights } from './load.js';
export { modelsLocation, type ModelsLocation } from './locations.js';
export { DEFAULT_NETWORKS, NETWORKS, readVggManifest, type ConvLayerSpec, type FileEntry, type Network } from './manifest.js';
export { verifyFiles, verifyModels, type VerifiedNetwork } from './verify.js';
