import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../tf.js';

const require = createRequire(import.meta.url);
const gluePath = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const wasmPath = gluePath.replace(/\.js$/, '.wasm');
const workerPath = fileURLToPath(new URL('./wasm-pthread-worker.cjs', import.meta.url));

/** The part of the Emscripten module this file touches. */
interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => unknown;
  PThread: { runningWorkers: { unref(): void }[] };
  tfjs?: unknown;
}
type ModuleFactory = (config: object) => Promise<EmscriptenModule>;
type WasmInstance = object;
type WasmModule = object;
// Node has WebAssembly; @types/node 20 does not describe it.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance; module: WasmModule }>;
};

/**
 * Registers tfjs's multithreaded SIMD WebAssembly build as the 'wasm' backend, for Node.
 *
 * tfjs turns threads off under Node and, as shipped, cannot start them there: its pthread workers
 * come from blob: URLs, and its C++ side uses half the logical cores (1 on a 2-core machine). Here
 * the workers run from a real file, the core count the module sees is doubled so that the thread
 * pool gets `threads` threads, and the pool's workers are unref'd so that an idle process can exit.
 * The kernels stay the ones tfjs-backend-wasm registered for 'wasm'.
 */
export function registerThreadedWasm(threads: number): void {
  const factory = require(gluePath) as ModuleFactory;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => {
    const wasmBinary = await readFile(wasmPath);
    const module = await factory({
      mainScriptUrlOrBlob: gluePath,
      locateFile: (file: string) => (file.endsWith('.worker.js') ? workerPath : file.endsWith('.wasm') ? wasmPath : file),
      instantiateWasm(
        info: { env: Record<string, unknown> },
        receive: (instance: WasmInstance, module: WasmModule) => void,
      ) {
        // The C++ init caps the pool at emscripten_num_logical_cores() / 2.
        const env = { ...info.env, emscripten_num_logical_cores: () => 2 * threads };
        WebAssembly.instantiate(wasmBinary, { ...info, env }).then(({ instance, module: compiled }) => receive(instance, compiled));
        return {};
      },
    });
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    setThreadsCount(threads);
    const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    // The pool threads wait on shared memory, never on the main event loop.
    for (const worker of module.PThread.runningWorkers) worker.unref();
    return backend;
  }, 2);
}
