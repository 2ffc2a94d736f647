/**
 * The engine's compute backends, as `--backend`, ATELIER_BACKEND and the studio's backend picker name
 * them. 'auto': the first that starts, in the engine's order of preference.
 */
export const BACKEND_CHOICES = ['auto', 'tfjs-node-gpu', 'onnx', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendKind = Exclude<BackendChoice, 'auto'>;

/** Whether a name from outside (an environment variable, a list option) is one of the choices. */
export function isBackendChoice(name: string): name is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(name);
}

/**
 * What the studio calls each backend: where it computes, in a person's words (onnx, the usual one, is
 * plain "Native CPU"; its device picker says when it runs on a GPU). The CLI and the files keep the
 * short names.
 */
const BACKEND_LABELS: Record<BackendKind, string> = {
  'tfjs-node-gpu': 'GPU (CUDA, TensorFlow)',
  onnx: 'Native CPU',
  'tfjs-node': 'Native CPU (TensorFlow)',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (slowest)',
};

/** A backend's label; a name the studio does not know (a newer service) as it is. */
export function backendLabel(name: string): string {
  return (BACKEND_LABELS as Record<string, string>)[name] ?? name;
}
