/**
 * The layering held by a tool (npm run lint): common <- engine <- services <- cli / app / web, the
 * renderer and the preload talk only through common. `src/main/*.ts` (studio.ts, media.ts) wire the
 * services together for the entry points and sit with the services.
 */
const ENTRY_POINTS = '^src/main/(cli|app|web)/';
module.exports = {
  forbidden: [
    {
      name: 'common-is-the-contract',
      comment: 'common depends on nothing of ours: it is what every other layer agrees on.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/(main|renderer|preload)/' },
    },
    {
      name: 'engine-computes-only',
      comment: 'The engine imports only common (and its runtimes): no services, entry points, Electron or sharp.',
      severity: 'error',
      from: { path: '^src/main/engine/' },
      to: { path: ['^src/main/(services|cli|app|web)/', '^src/main/[^/]+$', '^src/(renderer|preload)/', '^node_modules/(electron|sharp)/'] },
    },
    {
      name: 'services-below-entry-points',
      comment: 'Services (and the studio that wires them) never reach up into the CLI, the desktop app or web mode.',
      severity: 'error',
      from: { path: ['^src/main/services/', '^src/main/[^/]+$'] },
      to: { path: [ENTRY_POINTS, '^src/(renderer|preload)/'] },
    },
    {
      name: 'entry-points-side-by-side',
      comment: 'The CLI, the desktop app and web mode are peers: none imports another.',
      severity: 'error',
      from: { path: '^src/main/(cli|app|web)/' },
      to: { path: ENTRY_POINTS, pathNot: '^src/main/$1/' },
    },
    {
      name: 'renderer-through-the-contract',
      comment: 'The renderer imports only common and its own folders, and nothing of Node.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: ['^src/(main|preload)/'] },
    },
    {
      name: 'components-through-stores',
      comment: 'Components, views and composables call the stores; only the stores use the transport (src/renderer/api).',
      severity: 'error',
      from: { path: '^src/renderer/(components|views|composables|App\\.vue)' },
      to: { path: '^src/renderer/api/' },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-through-the-contract',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { path: ['^src/(main|renderer)/'] },
    },
    {
      name: 'tfjs-only-in-the-engine',
      comment: 'TensorFlow.js is the engine\'s runtime; everything else asks the engine.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main/engine/' },
      to: { path: '^node_modules/@tensorflow/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.vue', '.mjs', '.cjs', '.json'] },
  },
};
