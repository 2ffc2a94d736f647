import type { FastStyle } from '../../../common/instant.js';
import type { BackendInfo, FastStyleLoader, FastStyleNet } from '../../engine/index.js';
import { loadOnnxRuntime, loadTfjsFastStyle, onnxFastStyleLoader } from '../../engine/runtime.js';
// Not through the models index, which the studio's main process imports: this pulls in the engine's tables.
import { loadFastStyleWeights } from '../models/fast-style.js';
import { modelsLocation, type ModelsLocation } from '../models/locations.js';

const loaded = new Map<string, Promise<FastStyleNet>>();

/** The executor the Gatys loop uses on this backend: ONNX Runtime (on the same device) for onnx, tfjs otherwise. */
async function loaderFor(backend: BackendInfo): Promise<FastStyleLoader> {
  if (backend.kind !== 'onnx') return loadTfjsFastStyle;
  return onnxFastStyleLoader({ ort: await loadOnnxRuntime(), executionProvider: backend.device ?? 'cpu', ...(backend.threads && { threads: backend.threads }) });
}

/**
 * A network, loaded once per models folder and executor and kept for the process: the grid asks
 * for all nine, and a full-size render right after asks for one of them again.
 */
export function loadFastStyle(name: FastStyle, backend: BackendInfo, options: { models?: Partial<ModelsLocation> } = {}): Promise<FastStyleNet> {
  const location = modelsLocation(options.models);
  const key = `${JSON.stringify(location)}\0${backend.kind}\0${backend.device ?? ''}\0${name}`;
  let net = loaded.get(key);
  if (!net) {
    net = Promise.all([loadFastStyleWeights(name, location), loaderFor(backend)]).then(([weights, loader]) => loader(weights));
    // A failed load (not installed yet, a damaged file) must not stick: the person may fix it and retry.
    net.catch(() => loaded.delete(key));
    loaded.set(key, net);
  }
  return net;
}
