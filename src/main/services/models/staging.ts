import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

const STAGING_PREFIX = '.staging-';

/**
 * Fills a fresh folder beside the target, then moves its files in. A network is installed only
 * once every file has passed its check, and a failed install leaves no half-written or unchecked
 * file behind. The folder sits inside the target so each move is a same-disk rename.
 */
export async function installStaged(
  targetDir: string,
  fill: (stagingDir: string) => Promise<readonly string[]>,
): Promise<void> {
  await mkdir(targetDir, { recursive: true });
  // An install killed midway (Ctrl-C, a closed pipe) never reached its cleanup; its leftovers go now.
  for (const name of await readdir(targetDir)) {
    if (name.startsWith(STAGING_PREFIX)) await rm(join(targetDir, name), { recursive: true, force: true });
  }
  const staging = await mkdtemp(join(targetDir, STAGING_PREFIX));
  try {
    const names = await fill(staging);
    for (const name of names) await rename(join(staging, name), join(targetDir, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
