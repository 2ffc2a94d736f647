import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_NETWORKS, installModels, verifyModels } from '../src/main/services/models/index.js';

const sharedModels = path.resolve(fileURLToPath(import.meta.url), '../../../shared/models');

/**
 * Tests that render need the VGG19 weights, and the instant-style tests the nine feed-forward networks,
 * in the app's models folder. A fresh clone has none, so install them from ../shared/models (checksums
 * verified) the way `npm run models:install` does.
 */
export default async function setup(): Promise<void> {
  try {
    await verifyModels({ networks: [...DEFAULT_NETWORKS] });
  } catch {
    if (!existsSync(sharedModels)) throw new Error(`the tests need the model weights: ${sharedModels} is missing`);
    await installModels({ from: sharedModels, networks: [...DEFAULT_NETWORKS] });
  }
}
