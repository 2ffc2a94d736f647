import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { ModelsCorruptError, REINSTALL_HINT } from './errors.js';
import { fileEntry } from './manifest.js';
import { parseJson } from '../json/index.js';

/**
 * A converted install writes different bytes than the manifest lists (float32 shards instead of
 * the shared folder's quantized ones), so it records what it wrote and load-time checks use that.
 */
const RECEIPT_FILE = 'installed.json';

const installReceipt = z.object({
  format: z.literal('tfjs-layers-model'),
  source: z.string(),
  convertedAt: z.iso.datetime(),
  files: z.array(fileEntry).min(1),
});
export type InstallReceipt = z.infer<typeof installReceipt>;

export async function readReceipt(dir: string): Promise<InstallReceipt | undefined> {
  const path = join(dir, RECEIPT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const json = parseJson(text);
  const parsed = installReceipt.safeParse(json);
  if (!parsed.success) throw new ModelsCorruptError(`${path} is not a valid install receipt. ${REINSTALL_HINT}`, path);
  return parsed.data;
}

export async function writeReceipt(dir: string, receipt: InstallReceipt): Promise<void> {
  await writeFileAtomic(join(dir, RECEIPT_FILE), `${JSON.stringify(receipt, null, 2)}\n`);
}

export async function removeReceipt(dir: string): Promise<void> {
  await rm(join(dir, RECEIPT_FILE), { force: true });
}
