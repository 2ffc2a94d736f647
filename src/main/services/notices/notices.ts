import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { noticeSchema, type Handlers, type NewNotice, type Notice } from '../../../common/contract/index.js';
import { AtelierError } from '../../../common/errors.js';
import { JsonStore } from '../store/index.js';

export type NoticesService = Handlers['notices'] & {
  /** Keeps the notice until dismissed and writes it to the log (the server's or the app's). */
  add(notice: NewNotice): Promise<Notice>;
  onDidChange(listener: () => void): () => void;
  /** Resolves once every notice added so far is on disk (or failed to be): for a clean shutdown. */
  flush(): Promise<void>;
};

const noticesDocumentSchema = z.object({ notices: z.array(noticeSchema) });

/** The person's unread notices, kept in `<dataDir>/notices.json` so that a restart before reading them loses none. */
export function createNotices({ dataDir }: { dataDir: string }): NoticesService {
  const listeners = new Set<() => void>();
  const store = new JsonStore(join(dataDir, 'notices.json'), noticesDocumentSchema, () => ({ notices: [] }), {
    // The one store whose own damage cannot become a notice: the log is where it is told.
    onRecovered: (recovery) => console.warn(`atelier: ${recovery.file} was ${recovery.problem}; unread notices may be lost`),
  });
  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };
  /** The adds in flight: notices come from recovery, which does not wait for them, so a list waits instead. */
  let adding: Promise<unknown> = Promise.resolve();

  return {
    async list() {
      await adding;
      return structuredClone((await store.read()).notices);
    },

    add(input) {
      const notice: Notice = { ...input, id: randomUUID(), createdAt: new Date().toISOString() };
      console.warn(`atelier: ${notice.title}: ${notice.message}${notice.details.map((line) => `\n  ${line}`).join('')}`);
      const added = (async () => {
        await mkdir(dataDir, { recursive: true });
        await store.update((doc) => ({ next: { notices: [...doc.notices, notice] }, result: null }));
        changed();
        return notice;
      })();
      adding = Promise.all([adding, added.catch(() => undefined)]);
      return added;
    },

    async flush() {
      await adding;
    },

    async dismiss({ id }) {
      await store.update((doc) => {
        if (!doc.notices.some((notice) => notice.id === id)) throw new AtelierError('NOT_FOUND', 'That notice was already dismissed.');
        return { next: { notices: doc.notices.filter((notice) => notice.id !== id) }, result: null };
      });
      changed();
      return null;
    },

    onDidChange(listener) {
      const entry = (): void => listener();
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
}
