import { defineStore } from 'pinia';
import { useUiStore } from './ui.js';

/** How long a deletion can be taken back; the toast offering it stays as long. */
export const UNDO_MS = 6000;

export interface UndoableDeletion {
  /** The toast's words: "Pair deleted", and what went with it. */
  title: string;
  message: string;
  /** Takes the thing out of the page at once. */
  withhold(): void;
  /** Puts it back (on Undo, or when the deletion failed). */
  release(): Promise<void> | void;
  /** Deletes it for good; false when the service refused (the store has said why). */
  commit(): Promise<boolean>;
}

/**
 * Deletions that wait: the thing leaves the page at once and a toast offers Undo; only when that time
 * runs out (or the page is about to go) is it deleted in the library.
 */
export const useUndoStore = defineStore('undo', () => {
  const ui = useUiStore();
  const pending = new Set<() => Promise<void>>();

  function remove(deletion: UndoableDeletion): void {
    deletion.withhold();
    let settled = false;
    const finish = async (): Promise<void> => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      pending.delete(finish);
      ui.dismissToast(toast);
      // Refused (the store showed why): released, it is back in the page; deleted: released, it stays gone.
      await deletion.commit();
      await deletion.release();
    };
    const undo = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      pending.delete(finish);
      void deletion.release();
    };
    const timer = setTimeout(() => void finish(), UNDO_MS);
    pending.add(finish);
    const toast = ui.toast('info', deletion.title, deletion.message, UNDO_MS, { label: 'Undo', run: undo });
  }

  /**
   * Deletes whatever still waits, now: the page is closing, or the person does something the waiting
   * deletion would collide with (importing a preset under the name of one being deleted).
   */
  async function flush(): Promise<void> {
    await Promise.all([...pending].map((finish) => finish()));
  }
  // Read off globalThis: the stores also load in Node, where the store tests run them.
  (globalThis as { addEventListener?: (type: string, listener: () => void) => void }).addEventListener?.('pagehide', () => void flush());

  return { remove, flush };
});
