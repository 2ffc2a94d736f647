#!/usr/bin/env node
// The weights check `npm run dist` makes before it packages anything, with the app's own built code:
// `node scripts/packaging/check-models.mjs [MODELS_DIR]` (default: the checkout's models folder).
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * VGG19 must be installed and match its checksums: an app without it cannot render, and a damaged file
 * would fail on the person's machine instead of here. The other networks ship when installed, checked
 * too. Resolves to null when the folder may ship, else to the reason it may not.
 */
export async function checkModels(modelsDir, manifestsDir) {
  const { verifyModels } = await import(join(root, 'dist/main/services/models/verify.js'));
  const { NETWORKS } = await import(join(root, 'dist/main/services/models/manifest.js'));
  for (const network of NETWORKS) {
    const entries = await readdir(join(modelsDir, network), { withFileTypes: true }).catch(() => []);
    const installedAny = entries.some((entry) => entry.isDirectory() || entry.name.endsWith('.bin'));
    if (network !== 'vgg19' && !installedAny) {
      console.error(`dist: ${network} is not installed; the app ships without it`);
      continue;
    }
    try {
      const verified = await verifyModels({ dir: modelsDir, manifestsDir, networks: [network] });
      console.error(`dist: ${network}: ${verified.length} network(s) installed and verified in ${modelsDir}`);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  return null;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { checkoutResources } = await import(join(root, 'dist/main/services/resources/index.js'));
  const { manifestsDir, modelsDir } = checkoutResources(root);
  const refusal = await checkModels(process.argv[2] ? resolve(process.argv[2]) : modelsDir, manifestsDir);
  if (refusal) console.error(`dist: refusing to build: ${refusal}`);
  process.exit(refusal ? 1 : 0);
}
