/** onnxruntime-node's module, loaded on demand: it is absent on platforms without a binary (Intel Macs). */
export type OnnxRuntime = typeof import('onnxruntime-node');

let loaded: Promise<OnnxRuntime> | undefined;

export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  loaded ??= import('onnxruntime-node').then((module) => ((module as { default?: OnnxRuntime }).default ?? module) as OnnxRuntime);
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
