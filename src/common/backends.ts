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
