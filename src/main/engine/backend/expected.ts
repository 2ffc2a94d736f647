import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The backend a render will most likely start on, found without starting one (renders run in child
 * processes; loading TensorFlow here would cost the main process seconds and memory): the one named
 * by ATELIER_BACKEND (as initBackend reads it), else the first native binding that is installed, else
 * WebAssembly. A binding that is installed but fails to load is only found out by a render; callers
 * then prefer the backend a finished render reports.
 */
export function expectedBackend(): string {
  const forced = process.env.ATELIER_BACKEND;
  if (forced && forced !== 'auto') return forced;
  for (const kind of ['tfjs-node-gpu', 'tfjs-node']) {
    try {
      require.resolve(`@tensorflow/${kind}`);
      return kind;
    } catch {
      // Not installed: the normal case without libtensorflow.
    }
  }
  return 'wasm';
}
