import { readFile, rename } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { AtelierError } from '../../../common/errors.js';
import { parseJson } from '../json/index.js';

/**
 * One JSON document on disk, validated on read and replaced atomically on write (write-file-atomic:
 * a temporary file, fsync, rename), so a process killed mid-write leaves either the old or the new
 * document, never a torn one. Updates are serialized: each sees the result of the one before.
 */
export class JsonStore<S extends z.ZodType> {
  private value: z.output<S> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly schema: S,
    private readonly empty: () => z.output<S>,
  ) {}

  async read(): Promise<z.output<S>> {
    this.value ??= await this.load();
    return this.value;
  }

  /** Applies `change` to the current document and writes the result before resolving. */
  update<R>(change: (current: z.output<S>) => { next: z.output<S>; result: R }): Promise<R> {
    const run = this.queue.then(async () => {
      const { next, result } = change(await this.read());
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, { fsync: true });
      this.value = next;
      return result;
    });
    // A failed write must not block the ones after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<z.output<S>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw new AtelierError('STORE_UNREADABLE', `cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = parseJson(text);
    const checked = parsed === undefined ? undefined : this.schema.safeParse(parsed);
    if (checked?.success) return checked.data;
    // Atomic writes never leave a torn file, so this one was changed by hand or by another program:
    // keep it aside for the person to recover instead of overwriting it on the next save, and say so
    // once; the next read starts from an empty document.
    const aside = `${this.file}.unreadable-${Date.now()}`;
    await rename(this.file, aside);
    throw new AtelierError('STORE_INVALID', `${this.file} was not valid; it was kept as ${aside} and an empty one is used from now on`);
  }
}
