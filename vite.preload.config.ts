import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// A sandboxed preload cannot load ES modules or other files: it must be one CommonJS script, in which
// only `electron` is left to require().
export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('dist/preload', import.meta.url)),
    emptyOutDir: true,
    lib: {
      entry: fileURLToPath(new URL('src/preload/index.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'index.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
