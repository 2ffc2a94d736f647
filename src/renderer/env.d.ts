// What the preload exposes (src/preload/bridge.ts). It is absent when the renderer runs in a plain
// browser (web mode), so the property is optional; only src/renderer/api/ looks at it.
interface Window {
  atelier?: import('./api/ipc-transport').DesktopBridge;
}
