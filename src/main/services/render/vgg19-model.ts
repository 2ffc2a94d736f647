import type { VggNetwork } from '../../../common/networks.js';
import type { BackendInfo, Executor, VggWeights } from '../../engine/index.js';
import { loadOnnxRuntime, onnxExecutor, tfjsExecutor, Vgg19 } from '../../engine/runtime.js';
import { loadVggWeights, modelsLocation, type ModelsLocation } from '../models/index.js';

const loadedWeights = new Map<string, Promise<VggWeights>>();
const loaded = new Map<string, Promise<Vgg19>>();

/**
 * Loads once per models folder and network and keeps the result: reading and checking 60–80 MB of
 * weights takes seconds, and every render in a session uses the same ones.
 */
function cached<T>(cache: Map<string, Promise<T>>, where: Partial<ModelsLocation>, network: VggNetwork, load: (location: ModelsLocation) => Promise<T>): Promise<T> {
  const location = modelsLocation(where);
  const key = `${JSON.stringify(location)}\0${network}`;
  let value = cache.get(key);
  if (!value) {
    value = load(location);
    // A failed load (weights missing) must not stick: the person may install them and try again.
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

/** The weights as arrays, for the onnx executor, which builds them into each stage's graph. */
function weights(where: Partial<ModelsLocation>, network: VggNetwork): Promise<VggWeights> {
  return cached(loadedWeights, where, network, (location) => loadVggWeights(network, location));
}

/** The tfjs network (its weights then live in tfjs tensors only). */
function loadVgg19(where: Partial<ModelsLocation> = {}, network: VggNetwork = 'vgg19'): Promise<Vgg19> {
  return cached(loaded, where, network, (location) => loadVggWeights(network, location).then((w) => Vgg19.fromWeights(w, network)));
}

/** The executor for the backend initBackend started: ONNX Runtime for onnx, tfjs for the others. */
export async function loadExecutor(backend: BackendInfo, where: Partial<ModelsLocation> = {}, network: VggNetwork = 'vgg19'): Promise<Executor> {
  if (backend.kind === 'onnx') {
    return onnxExecutor({ ort: await loadOnnxRuntime(), weights: await weights(where, network), executionProvider: backend.device ?? 'cpu', ...(backend.threads && { threads: backend.threads }) });
  }
  return tfjsExecutor(await loadVgg19(where, network));
}
