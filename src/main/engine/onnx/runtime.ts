/** onnxruntime-node's module, loaded on demand: it is absent on platforms without a binary (Intel Macs). */
export type OnnxRuntime = typeof import('onnxruntime-node');

let loaded: Promise<OnnxRuntime> | undefined;

export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loaded ??= import('onnxruntime-node').then((module) => {
    const ort = ((module as { default?: OnnxRuntime }).default ?? module) as OnnxRuntime;
    // Failures come back as exceptions with the same text; ORT's own log would print them a second
    // time (a missing CUDA library while `auto` probes it is expected, not an error to show).
    ort.env.logLevel = 'fatal';
    return ort;
  });
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
