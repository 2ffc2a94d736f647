// Entry point of the Node worker threads that back the WebAssembly build's pthreads.
// tfjs ships this code only as a string meant for a blob: URL, which Node's Worker cannot load; running
// it from a real file is what lets the threaded build start under Node. Plain CommonJS because the worker
// script expects `require` and `__filename`, and because a worker needs a file on disk.
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

// The string was produced by a template literal that turned the "\n" escapes of the original source
// into real line breaks, some of them inside string literals; tfjs undoes that the same way.
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
