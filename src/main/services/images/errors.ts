import { basename, dirname } from 'node:path';
import { AtelierError } from '../../../common/errors.js';

export type ImageErrorCode =
  | 'IMAGE_NOT_FOUND'
  | 'IMAGE_EMPTY'
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_WRITE_FAILED';

/**
 * A failure to read or write an image file. `code` is stable and is what callers branch on;
 * `message` is written for people and names the file; the underlying error stays in `cause`.
 */
export class ImageError extends AtelierError {
  declare readonly code: ImageErrorCode;
  override readonly name = 'ImageError';

  constructor(
    code: ImageErrorCode,
    message: string,
    /** The file the failure is about, as the caller gave it. */
    readonly path: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(code, message, options);
    this.reason = options?.reason;
  }

  /** For a failed write: why, without the file's name ("the disk is full"), for messages about something else. */
  readonly reason: string | undefined;
}

/** The file's name in quotes; messages show the name, not the full path, which `path` keeps. */
export function quotedName(path: string): string {
  return `"${basename(path)}"`;
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a failure to open an input file to the error a person can act on. */
export function openFailed(path: string, cause: unknown): ImageError {
  const name = quotedName(path);
  switch (errnoCode(cause)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ImageError('IMAGE_NOT_FOUND', `${name} was not found`, path, { cause });
    case 'ERR_FS_FILE_TOO_LARGE':
      return new ImageError('IMAGE_TOO_LARGE', `${name} is too large a file to open`, path, { cause });
    case 'EISDIR':
      return new ImageError('IMAGE_UNREADABLE', `${name} is a folder, not an image`, path, { cause });
    default:
      return new ImageError('IMAGE_UNREADABLE', `${name} could not be opened`, path, { cause });
  }
}

/** Maps a failure to write an output file to the error a person can act on. */
export function writeFailed(path: string, cause: unknown): ImageError {
  const prefix = `Could not save ${quotedName(path)}`;
  const reason = writeFailureReason(dirname(path), cause);
  return new ImageError('IMAGE_WRITE_FAILED', reason ? `${prefix}: ${reason}` : `${prefix} in "${dirname(path)}"`, path, { cause, reason });
}

function writeFailureReason(dir: string, cause: unknown): string | undefined {
  switch (errnoCode(cause)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `the folder "${dir}" does not exist`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `the folder "${dir}" is not writable`;
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EISDIR':
      return 'a folder with that name is in the way';
    default:
      return undefined;
  }
}
