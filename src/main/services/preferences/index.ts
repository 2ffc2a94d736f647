import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ONNX_DEVICE_CHOICES } from '../../../common/devices.js';
import { JsonStore, type StoreRecovery } from '../store/index.js';

const preferencesSchema = z.object({
  /** 'auto' or a backend's name, for the renders queued from now on. */
  backend: z.string().default('auto'),
  /** onnx's execution provider, for the renders queued from now on that run on onnx. */
  device: z.enum(ONNX_DEVICE_CHOICES).default('auto'),
  /** Chosen in the desktop app; null: the data folder's exports/. */
  exportDir: z.string().nullable().default(null),
  /** Measured speed per backend, from finished renders (see backends/estimate.ts). */
  speed: z.record(z.string(), z.object({ msPerPixelIteration: z.number().positive(), startupMs: z.number().nonnegative(), renders: z.number().int() })).default({}),
});
export type Preferences = z.output<typeof preferencesSchema>;

export interface PreferencesStore {
  read(): Promise<Preferences>;
  update(change: (current: Preferences) => Preferences): Promise<Preferences>;
}

/**
 * The studio's machine-level choices (not the look of a render), kept in `<dataDir>/preferences.json`;
 * `onRecovered` is told when that file was found missing or damaged and what was restored.
 */
export function createPreferences(dataDir: string, onRecovered?: (recovery: StoreRecovery) => void): PreferencesStore {
  const store = new JsonStore(join(dataDir, 'preferences.json'), preferencesSchema, () => preferencesSchema.parse({}), { ...(onRecovered && { onRecovered }) });
  return {
    read: () => store.read(),
    async update(change) {
      // On a first run the data folder may not exist yet.
      await mkdir(dataDir, { recursive: true });
      return store.update((current) => {
        const next = change(current);
        return { next, result: next };
      });
    },
  };
}
