import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AtelierError, errorData } from '../../common/errors.js';
import type { RgbImage } from '../../common/progress.js';
import { fallbackBaseName, saveFallback } from '../services/export/index.js';
import { prepareOutputFile } from '../services/files/output-file.js';
import { canWrite, encodeImage, formatFromExtension, writeFailed, writeImage, type WritableFormat } from '../services/images/index.js';

type Named = readonly [flag: string, path: string | undefined];

/** Whether `a` and `b` are one file: the same inode once both exist (links included), else the same path. */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  if (x && y) return x.dev === y.dev && x.ino === y.ino;
  return resolve(a) === resolve(b);
}

/**
 * Refuses, before any work, an input that is not there or not a file, and an output that is one of the
 * inputs (`--out` naming the content photo, through a link or not: the person's file would be replaced by
 * the result). Each refusal is BAD_INPUT and names its option.
 */
export async function checkInputsAndOutputs(outputs: readonly Named[], inputs: readonly Named[]): Promise<void> {
  for (const [outFlag, out] of outputs) {
    if (out === undefined) continue;
    for (const [inFlag, input] of inputs) {
      if (input !== undefined && (await sameFile(out, input))) {
        throw new AtelierError('BAD_INPUT', `${outFlag} names the same file as ${inFlag} ("${basename(input)}"): Atelier never writes over an input; choose another ${outFlag} file`);
      }
    }
  }
  for (const [flag, input] of inputs) {
    if (input === undefined) continue;
    const found = await stat(input).catch(() => undefined);
    if (!found) throw new AtelierError('BAD_INPUT', `${flag}: "${input}" was not found`);
    if (!found.isFile()) throw new AtelierError('BAD_INPUT', `${flag}: "${input}" is not a file`);
  }
}

/** The files a render will write, checked before the network loads. */
export interface CheckedOutputs {
  image: { path: string; format: WritableFormat };
  report?: { path: string };
}

/**
 * Checks everything the end of a render needs, so that a bad --out or --report fails in a second
 * instead of after minutes of work: a format this build writes, a folder that exists (created when
 * missing; each created folder is named on stderr) and takes new files. A name the person must change
 * (an extension, one file for both) is BAD_INPUT; a folder or disk that refuses is OUTPUT_NOT_WRITABLE.
 */
export async function checkOutputs(out: string, report: string | undefined, log: (line: string) => void): Promise<CheckedOutputs> {
  const format = formatFromExtension(out);
  if (format === undefined) {
    throw new AtelierError('BAD_INPUT', `cannot write the image "${basename(out)}": name it .png, .jpg, .webp, .tif or .avif`);
  }
  if (!(await canWrite(format))) {
    throw new AtelierError('OUTPUT_NOT_WRITABLE', `cannot write the image "${basename(out)}": this build cannot encode ${format.toUpperCase()}; choose .png or .jpg`);
  }
  if (report !== undefined && extname(report).toLowerCase() !== '.json') {
    throw new AtelierError('BAD_INPUT', `cannot write the report "${basename(report)}": it is JSON, so name it .json`);
  }
  const image = await prepareOutputFile(out, 'the image');
  const checkedReport = report === undefined ? undefined : await prepareOutputFile(report, 'the report');
  if (checkedReport && checkedReport.path === image.path) {
    throw new AtelierError('BAD_INPUT', `--out and --report name the same file "${basename(out)}"`);
  }
  for (const created of new Set([image.createdFolder, checkedReport?.createdFolder])) {
    if (created) log(`created the folder ${created}`);
  }
  return { image: { path: image.path, format }, ...(checkedReport && { report: { path: checkedReport.path } }) };
}

/** Where a file ended up: where it was asked for, or a fallback after the named failure. */
export type Saved = { path: string } | { path: string; failure: string };

/**
 * Saves the image where it was asked for; when that fails at the end (the disk filled up, the folder
 * went away), keeps it in the temp folder under a name that says what it is. Throws only when even
 * that fails.
 */
export async function saveImage(target: CheckedOutputs['image'], image: RgbImage): Promise<Saved> {
  try {
    await writeImage(target.path, image, { format: target.format });
    return { path: target.path };
  } catch (error) {
    const bytes = await encodeImage(image, { format: target.format });
    return rescue(target.path, bytes, error);
  }
}

/** The same rule for the JSON report. */
export async function saveReport(path: string, report: unknown): Promise<Saved> {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  try {
    await writeFileAtomic(path, text);
    return { path };
  } catch (error) {
    return rescue(path, Buffer.from(text), writeFailed(path, error));
  }
}

async function rescue(path: string, bytes: Uint8Array, error: unknown): Promise<Saved> {
  const failure = errorData(error).message;
  const extension = extname(path);
  try {
    const saved = await saveFallback(fallbackBaseName(basename(path, extension)), extension, bytes);
    return { path: saved.path, failure };
  } catch (fallbackError) {
    throw new AtelierError('FALLBACK_FAILED', `${failure}; ${errorData(fallbackError).message}`, { cause: error });
  }
}
