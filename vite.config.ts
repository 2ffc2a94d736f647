import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const STRICT_STYLE_SRC = "style-src 'self'";

// The dev server injects each component's CSS as an inline <style> element (a build extracts it to a
// .css file), so only `vite` serve mode allows inline styles; the built page keeps index.html's policy.
function allowInlineStylesInDev(): Plugin {
  return {
    name: 'atelier:dev-inline-styles',
    apply: 'serve',
    transformIndexHtml(html) {
      if (!html.includes(STRICT_STYLE_SRC)) {
        throw new Error(`index.html's Content-Security-Policy no longer contains "${STRICT_STYLE_SRC}"`);
      }
      return html.replace(STRICT_STYLE_SRC, `${STRICT_STYLE_SRC} 'unsafe-inline'`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('src/renderer', import.meta.url)),
  // Relative asset URLs, so the built page also works when Electron loads it from file://.
  base: './',
  plugins: [vue(), allowInlineStylesInDev()],
  build: {
    outDir: fileURLToPath(new URL('dist/renderer', import.meta.url)),
    // The output folder lies outside root, which Vite only empties when told to.
    emptyOutDir: true,
  },
});
