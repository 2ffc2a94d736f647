// The store tests run renderer modules in Node, so the Node typecheck (tsconfig.json: no DOM lib)
// sees them. Vue's types stop unwrapping refs at DOM nodes and windows (runtime-dom's
// `RefUnwrapBailTypes` names the DOM's `Node` and `Window`); without the DOM lib those names are
// unresolved and every `ref<T>()` degrades to `Ref<any>`. Minimal shapes that no store state has keep
// the real typing. (src/renderer/api/index.ts reads the desktop bridge off `globalThis`, so no
// `window` needs declaring here.)
interface Node {
  readonly nodeType: number;
  readonly ownerDocument: unknown;
}

interface Window {
  readonly document: unknown;
  readonly frames: unknown;
}
