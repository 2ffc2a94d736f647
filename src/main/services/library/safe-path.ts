import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative as relativePath, resolve, sep } from 'node:path';
import { AtelierError } from '../../../common/errors.js';

/**
 * The one check between a path from a request (the desktop protocol handler, the web server) and a file
 * on disk: the absolute, symlink-free path of an existing file inside `root`.
 *
 * `relative` is taken as it appears in a URL and percent-decoded once here. Refused with 'BAD_PATH':
 * malformed encoding; a `%` left after decoding (double encoding, which a second decoder further along
 * would turn into `..`); NUL bytes, backslashes and colons (Windows separators, drive letters and
 * alternate streams); absolute paths; empty, `.` and `..` segments; and any path whose real location,
 * symlinks followed, is outside the real `root`. A missing file or a folder is 'NOT_FOUND'.
 */
export async function resolveInside(root: string, relative: string): Promise<string> {
  const decoded = decode(relative);
  if (/[%\0\\:]/.test(decoded) || isAbsolute(decoded) || decoded.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw refused(relative);
  }
  const base = resolve(root);
  const lexical = resolve(base, decoded);
  if (!isInside(base, lexical)) throw refused(relative);

  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(lexical), realpath(base)]);
  } catch (cause) {
    throw new AtelierError('NOT_FOUND', `"${decoded}" was not found`, { cause });
  }
  if (!isInside(realRoot, real)) throw refused(relative);
  if (!(await stat(real)).isFile()) throw new AtelierError('NOT_FOUND', `"${decoded}" is not a file`);
  return real;
}

function isInside(parent: string, child: string): boolean {
  const path = relativePath(parent, child);
  return path !== '' && !isAbsolute(path) && path.split(sep)[0] !== '..';
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw refused(text);
  }
}

function refused(relative: string): AtelierError {
  // JSON quoting, so a control character in the request cannot disguise the message.
  return new AtelierError('BAD_PATH', `the path ${JSON.stringify(relative)} is not allowed`);
}
