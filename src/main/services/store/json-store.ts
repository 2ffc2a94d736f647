import { readFile, rename, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { AtelierError } from '../../../common/errors.js';
import { parseJson } from '../json/index.js';

/** Good copies kept of each document: enough to step back past a few bad saves, small beside the data. */
export const STORE_BACKUPS = 5;

/** What the store did about a document it found missing or damaged, for the person to be told. */
export interface StoreRecovery {
  /** The document's file name (library.json, presets.json, …). */
  file: string;
  problem: 'missing' | 'damaged';
  /** Where the damaged file was kept (its name in the same folder); absent for a missing one. */
  setAside?: string;
  /** The backup the document was restored from, and when it was saved; absent: none was usable. */
  restoredFrom?: { file: string; savedAt: Date };
}

export interface JsonStoreOptions {
  /** Told when the document was missing or damaged and what was done; without it nothing is said. */
  onRecovered?: (recovery: StoreRecovery) => void;
}

/**
 * One JSON document on disk, validated on read and replaced atomically on write (write-file-atomic:
 * a temporary file, fsync, rename), so a process killed mid-write leaves either the old or the new
 * document, never a torn one. Updates are serialized: each sees the result of the one before.
 *
 * Every write also keeps the new document as `<file>.backup-1`, shifting older copies up to
 * STORE_BACKUPS, so a document deleted, damaged or replaced by hand can be restored from the newest
 * copy that still validates: the one last saved, or the saves before it.
 */
export class JsonStore<S extends z.ZodType> {
  private value: z.output<S> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly schema: S,
    private readonly empty: () => z.output<S>,
    private readonly options: JsonStoreOptions = {},
  ) {}

  async read(): Promise<z.output<S>> {
    this.value ??= await this.load();
    return this.value;
  }

  /** Applies `change` to the current document and writes the result before resolving. */
  update<R>(change: (current: z.output<S>) => { next: z.output<S>; result: R }): Promise<R> {
    const run = this.queue.then(async () => {
      const { next, result } = change(await this.read());
      const text = `${JSON.stringify(next, null, 2)}\n`;
      await writeFileAtomic(this.file, text, { fsync: true });
      this.value = next;
      // The document is saved: a backup that cannot be written (a full disk) must not make the save look failed.
      await this.keepBackup(text).catch((error: unknown) => console.warn(`atelier: could not keep a backup of ${basename(this.file)}:`, error));
      return result;
    });
    // A failed write must not block the ones after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The backups that validate, newest first: what recovery reads to find records the document lost. */
  async backups(): Promise<Array<{ file: string; value: z.output<S> }>> {
    const found: Array<{ file: string; value: z.output<S> }> = [];
    for (let n = 1; n <= STORE_BACKUPS; n++) {
      const file = backupFile(this.file, n);
      const value = this.validate(await readText(file));
      if (value !== undefined) found.push({ file, value });
    }
    return found;
  }

  private async keepBackup(text: string): Promise<void> {
    // After the document itself: a crash in between loses only this copy. Oldest first, so each
    // rename moves a copy into a slot already emptied.
    for (let n = STORE_BACKUPS - 1; n >= 1; n--) await renameIfThere(backupFile(this.file, n), backupFile(this.file, n + 1));
    // Not fsynced: a backup torn by a power cut fails validation and the next older one is used.
    await writeFileAtomic(backupFile(this.file, 1), text, { fsync: false });
  }

  private async load(): Promise<z.output<S>> {
    const text = await readText(this.file);
    if (text !== undefined) {
      const value = this.validate(text);
      if (value !== undefined) {
        return value;
      }
    }
    // Atomic writes never leave a torn file, so a damaged one was changed by hand or by another program:
    // keep it aside for the person instead of overwriting it on the next save.
    let setAside: string | undefined;
    if (text !== undefined) {
      setAside = `${this.file}.unreadable-${Date.now()}`;
      await rename(this.file, setAside);
    }
    const [newest] = await this.backups();
    if (newest === undefined && setAside === undefined) return this.empty(); // a first run: nothing was ever saved
    if (newest !== undefined) {
      const savedAt = await stat(newest.file).then((s) => s.mtime, () => new Date(0));
      const restored = `${JSON.stringify(newest.value, null, 2)}\n`;
      await writeFileAtomic(this.file, restored, { fsync: true });
      this.options.onRecovered?.({
        file: basename(this.file), problem: setAside === undefined ? 'missing' : 'damaged',
        ...(setAside !== undefined && { setAside: basename(setAside) }),
        restoredFrom: { file: basename(newest.file), savedAt },
      });
      return newest.value;
    }
    this.options.onRecovered?.({ file: basename(this.file), problem: 'damaged', setAside: basename(setAside!) });
    return this.empty();
  }

  private validate(text: string | undefined): z.output<S> | undefined {
    if (text === undefined) return undefined;
    const checked = this.schema.safeParse(parseJson(text));
    return checked.success ? checked.data : undefined;
  }
}

function backupFile(file: string, n: number): string {
  return `${file}.backup-${n}`;
}

/** The file's text; undefined when it does not exist. Any other failure is the person's to fix. */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AtelierError('STORE_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

async function renameIfThere(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
