import { stat, statfs } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { AtelierError, readsAsDiskFull } from '../../../common/errors.js';

const MB = 1024 * 1024;

/**
 * How much to ask a person to free when the size of the failed write is unknown: 1% of the disk, at
 * least 1 MB and at most 1 GB. Most writes (a store file, a thumbnail, a preset) are far smaller, and
 * the largest (an upload, a render) fit in it on any disk big enough to hold a library.
 */
function headroom(total: number): number {
  return Math.min(1024 * MB, Math.max(MB, total / 100));
}

function megabytes(bytes: number): string {
  return bytes < 10 * MB ? `${(Math.ceil((bytes / MB) * 10) / 10).toLocaleString('en-US')} MB` : `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
}

/**
 * The DISK_FULL error for a write into `folder` that found no room: "The disk holding your library is
 * full: free N MB and try again", N measured with statfs: what the write needs (`needBytes`, where the
 * caller knows it: an upload's size, a network's files) plus the headroom above, less what is free.
 * `place` is how the person knows the folder ("your library", or the path of a folder they chose).
 */
export async function diskFullError(folder: string, place: string, cause: unknown, needBytes?: number): Promise<AtelierError> {
  const space = await statfs(folder).catch(() => undefined);
  // Some file systems (network, FUSE) report no sizes; then only the plain sentence is honest.
  if (!space || space.blocks === 0) {
    return new AtelierError('DISK_FULL', `The disk holding ${place} is full: free some space and try again`, { cause });
  }
  const free = space.bavail * space.bsize;
  const total = space.blocks * space.bsize;
  const state = `${megabytes(free)} of ${megabytes(total)} free at "${folder}"`;
  const want = (needBytes ?? 0) + headroom(total) - free;
  if (needBytes === undefined && want <= 0) {
    // More is free now than the headroom: the failed write (its partial files since removed) needed
    // more than that, by an amount nobody measured, so no number would be honest.
    return new AtelierError('DISK_FULL', `The disk holding ${place} is too full for this: free more space and try again (${state})`, { cause });
  }
  return new AtelierError('DISK_FULL', `The disk holding ${place} is full: free ${megabytes(Math.max(MB / 10, want))} and try again (${state})`, { cause });
}

/** The path a failed write names anywhere in its chain: an fs error's destination or path, an ImageError's file. */
function pathOf(error: unknown): string | undefined {
  for (let at = error, depth = 0; at !== null && typeof at === 'object' && depth < 16; at = (at as { cause?: unknown }).cause, depth++) {
    const { dest, path } = at as { dest?: unknown; path?: unknown };
    for (const candidate of [dest, path]) if (typeof candidate === 'string' && isAbsolute(candidate)) return candidate;
  }
  return undefined;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The one place where a failure caused by a full disk gets its words (the dispatcher calls it for every
 * call, the CLI for every command): any such error becomes DISK_FULL about the disk it happened on:
 * the folder the error names (an export folder, a models folder), else `dataDir` ("your library").
 * Without either, errorData's plain sentence stands. Every other error is returned as it is.
 */
export async function explainDiskFull(error: unknown, dataDir?: string): Promise<unknown> {
  if (!readsAsDiskFull(error)) return error;
  const library = dataDir === undefined ? undefined : resolve(dataDir);
  const path = pathOf(error);
  if (library !== undefined && (path === undefined || isInside(library, path))) return diskFullError(library, 'your library', error);
  if (path === undefined) return error;
  const folder = await existingFolder(dirname(path));
  return diskFullError(folder, `"${folder}"`, error);
}

/** `folder`, or the nearest folder above it that exists: a failed write often removes its staging folder. */
async function existingFolder(folder: string): Promise<string> {
  for (let at = folder; ; at = dirname(at)) {
    if ((await stat(at).catch(() => undefined))?.isDirectory() || dirname(at) === at) return at;
  }
}
