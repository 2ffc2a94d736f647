import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { USAGE_EXIT_CODE } from '../../common/exit-codes.js';
import { backendFromEnvironment } from '../services/backends/index.js';
import { checkoutResources } from '../services/resources/index.js';
import { createStudio } from '../studio.js';
import { startWebServer } from './server.js';

// src/main/web/serve.ts and dist/main/web/serve.js both sit three folders below the repo root.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const USAGE = `usage: npm run serve -- [--port N] [--data DIR] [--samples DIR]

  --port N       port on 127.0.0.1 (0, the default, picks a free one)
  --data DIR     library, presets and exports (default: $ATELIER_DATA_DIR or ~/.local/share/atelier-web)
  --samples DIR  sample photos and paintings (default: ../shared/images beside the repo, if present)`;

function parseOptions(argv: string[]): { port: number; dataDir: string; samplesDir: string | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      data: { type: 'string' },
      samples: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  const dataDir = resolve(values.data ?? process.env.ATELIER_DATA_DIR ?? join(homedir(), '.local', 'share', 'atelier-web'));
  const samplesDir = values.samples ? resolve(values.samples) : checkoutResources().samplesDir;
  return { port, dataDir, samplesDir };
}

/** `npm run serve`: the studio in a browser tab, on this machine only. */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    // A bad option: one line and the CLI's exit code for it, before anything starts.
    console.error(`atelier: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(USAGE_EXIT_CODE);
  }
  const { port, dataDir, samplesDir } = options;
  const rendererDir = join(REPO_ROOT, 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(`atelier: ${rendererDir} has no built page; run \`npm run build:web\` first (the API still answers).`);
  }
  await mkdir(dataDir, { recursive: true });
  const resources = { ...checkoutResources(), ...(samplesDir && { samplesDir }) };
  const defaultBackend = backendFromEnvironment();
  const studio = await createStudio({ dataDir, resources, mode: 'web', ...(defaultBackend && { defaultBackend }) });
  const server = await startWebServer({ studio, rendererDir, port });
  console.log(`Atelier web mode: ${server.loginUrl}`);
  console.error(`atelier: data in ${dataDir}${samplesDir ? `, samples from ${samplesDir}` : ''}; Ctrl-C stops the server.`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    void Promise.allSettled([server.close(), studio.dispose()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`atelier: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
