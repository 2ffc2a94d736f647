/**
 * The engine's compute backends, as `--backend`, ATELIER_BACKEND and the studio's backend picker name
 * them. 'auto': the first that starts, in the engine's order of preference.
 */
export const BACKEND_CHOICES = ['auto', 'tfjs-node-gpu', 'onnx', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendKind = Exclude<BackendChoice, 'auto'>;
