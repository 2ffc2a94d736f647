// What the preload exposes (src/preload/index.ts). It is absent when the renderer runs in a plain
// browser, so the property is optional and every caller has to check for it.
interface AtelierApi {
  getVersion(): Promise<string>;
}

interface Window {
  atelier?: AtelierApi;
}
