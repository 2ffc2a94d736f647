import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AtelierError } from '../../../common/errors.js';

/** What checking an output file found or did. */
export interface OutputFileCheck {
  /** The absolute path that will be written. */
  path: string;
  /** The first folder the check had to create, when the output's folder did not exist yet. */
  createdFolder?: string;
}

/**
 * Makes sure `file` can be written before any long work starts: its folder exists (it is created when
 * missing: the person named it, and creating it now lets the rest of the check run on the real folder),
 * a new file can be made there, the disk is not already full, and no folder sits under the file's name.
 * Throws AtelierError OUTPUT_NOT_WRITABLE with a sentence naming the file and the reason.
 */
export async function prepareOutputFile(file: string, label: string): Promise<OutputFileCheck> {
  const path = resolve(file);
  const folder = dirname(path);
  const refuse = (reason: string, cause?: unknown): never => {
    throw new AtelierError('OUTPUT_NOT_WRITABLE', `cannot write ${label} "${basename(path)}": ${reason}`, { cause });
  };

  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) refuse(`"${path}" is a folder`);

  let createdFolder: string | undefined;
  try {
    createdFolder = await mkdir(folder, { recursive: true });
  } catch (cause) {
    refuse(`the folder "${folder}" cannot be created (${reasonOf(cause)})`, cause);
  }

  // An empty probe file: creating one is what permissions and read-only disks refuse.
  const probe = join(folder, `.atelier-write-check-${randomUUID().slice(0, 8)}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (cause) {
    refuse(`the folder "${folder}" is not writable (${reasonOf(cause)})`, cause);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }

  // Some file systems (network, FUSE) report no sizes at all; only a known size with nothing free counts.
  const space = await statfs(folder).catch(() => undefined);
  if (space && space.blocks > 0 && space.bavail === 0) refuse(`the disk holding "${folder}" is full`);
  return { path, ...(createdFolder && { createdFolder }) };
}

function reasonOf(error: unknown): string {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of a folder on that path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
