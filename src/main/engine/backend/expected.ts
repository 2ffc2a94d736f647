import { createRequire } from 'node:module';
import type { BackendChoice } from '../../../common/backends.js';

const require = createRequire(import.meta.url);

/**
 * The backend a render will most likely start on, found without starting one (renders run in child
 * processes; loading TensorFlow here would cost the main process seconds and memory): `choice` when it
 * names one, else the first native runtime that is installed, in
 * initBackend's auto order (tfjs-node-gpu, onnx, tfjs-node), else WebAssembly. A runtime that is
 * installed but fails to load is only found out by a render; callers then prefer the backend a
 * finished render reports.
 */
export function expectedBackend(choice: BackendChoice = 'auto'): string {
  if (choice !== 'auto') return choice;
  const packages = { 'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu', onnx: 'onnxruntime-node', 'tfjs-node': '@tensorflow/tfjs-node' };
  for (const [kind, name] of Object.entries(packages)) {
    try {
      require.resolve(name);
      return kind;
    } catch {
      // Not installed: the normal case for the optional TensorFlow bindings.
    }
  }
  return 'wasm';
}
