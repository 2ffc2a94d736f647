import { loadOnnxRuntime, onnxExecutor, tfjsExecutor, Vgg19, type BackendInfo, type Executor, type Vgg19Weights } from '../../engine/index.js';
import { loadVgg19Weights } from '../models/index.js';

const loadedWeights = new Map<string, Promise<Vgg19Weights>>();
const loaded = new Map<string, Promise<Vgg19>>();

/** Reading and checking 80 MB of weights takes seconds, and every render in a session uses the same ones. */
function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    // A failed load (weights missing) must not stick: the person may install them and try again.
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}

/** The weights as arrays, for the onnx executor, which builds them into each stage's graph. */
function weights(modelsDir?: string): Promise<Vgg19Weights> {
  return cached(loadedWeights, modelsDir ?? '', () => loadVgg19Weights(modelsDir));
}

/** The tfjs network, built once per models folder and kept (its weights then live in tfjs tensors only). */
export function loadVgg19(modelsDir?: string): Promise<Vgg19> {
  return cached(loaded, modelsDir ?? '', () => loadVgg19Weights(modelsDir).then((w) => Vgg19.fromWeights(w)));
}

/** The executor for the backend initBackend started: ONNX Runtime for onnx, tfjs for the others. */
export async function loadExecutor(backend: BackendInfo, modelsDir?: string): Promise<Executor> {
  if (backend.kind === 'onnx') {
    return onnxExecutor({ ort: await loadOnnxRuntime(), weights: await weights(modelsDir), executionProvider: backend.device ?? 'cpu', ...(backend.threads && { threads: backend.threads }) });
  }
  return tfjsExecutor(await loadVgg19(modelsDir));
}
