// The store tests run renderer modules in Node, so the Node typecheck (tsconfig.json: no DOM lib)
// sees them. Two gaps, declared here for this test folder's sake only:
//
// - src/renderer/api/index.ts looks for the desktop bridge on `window`; in Node it is absent (the
//   web transport is chosen), so declare the one property read, as possibly undefined.
// - Vue's types stop unwrapping refs at DOM nodes and windows (runtime-dom's `RefUnwrapBailTypes`
//   names the DOM's `Node` and `Window`); without the DOM lib those names are unresolved and every
//   `ref<T>()` degrades to `Ref<any>`. Minimal shapes that no store state has keep the real typing.
declare var window: { atelier?: import('../../src/renderer/api/ipc-transport.js').DesktopBridge } | undefined;

interface Node {
  readonly nodeType: number;
  readonly ownerDocument: unknown;
}

interface Window {
  readonly document: unknown;
  readonly frames: unknown;
}
