import { randomUUID } from 'node:crypto';
import { SETTINGS_VERSION } from '../../../common/settings.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { presetSchema, type Handlers, type Preset } from '../../../common/contract/index.js';
import { AtelierError } from '../../../common/errors.js';
import { JsonStore, type StoreRecovery } from '../store/index.js';
import { BUILT_IN_PRESETS, builtInPresets } from './built-in.js';
import { parsePresetFile, presetFile } from './preset-file.js';

export interface PresetsOptions {
  /** The app's data folder; user presets live in `presets.json` there. */
  dataDir: string;
  /** Whether VGG16's weights are installed (the Chollet preset uses it then); asked on every list. */
  vgg16Installed?: () => Promise<boolean>;
  /** Told when presets.json was found missing or damaged and what was restored. */
  onRecovered?: (recovery: StoreRecovery) => void;
}

export type PresetsService = Handlers['presets'] & {
  /** Called after every change to the user's presets; returns the function that stops it. */
  onDidChange(listener: () => void): () => void;
};

const MAX_NAME_LENGTH = 100;
const presetsDocumentSchema = z.object({ presets: z.array(presetSchema.extend({ builtIn: z.literal(false) })) });
type UserPreset = z.output<typeof presetsDocumentSchema>['presets'][number];
type NameClash = 'fail' | 'rename' | 'replace';

/**
 * The presets service: the read-only built-ins and the person's own presets, kept in
 * `<dataDir>/presets.json`. `list` gives the built-ins first, then the person's by name.
 */
export function createPresets({ dataDir, vgg16Installed, onRecovered }: PresetsOptions): PresetsService {
  const store = new JsonStore(join(dataDir, 'presets.json'), presetsDocumentSchema, () => ({ presets: [] }), { ...(onRecovered && { onRecovered }) });
  const listeners = new Set<() => void>();

  /** Applies a change to the user presets, writes it, then tells the listeners. */
  async function change<R>(apply: (presets: UserPreset[]) => { presets: UserPreset[]; result: R }): Promise<R> {
    // The store writes beside presets.json and needs its folder; on a first run it may not exist yet.
    await mkdir(dataDir, { recursive: true });
    const result = await store.update((document) => {
      const next = apply(document.presets);
      return { next: { presets: next.presets }, result: next.result };
    });
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        // The change is saved; one broken listener must not make it look failed or starve the others.
        console.error('atelier: a presets listener failed:', error);
      }
    }
    return result;
  }

  const builtIns = async (): Promise<Preset[]> => builtInPresets({ vgg16Installed: (await vgg16Installed?.()) ?? false });

  async function find(id: string): Promise<Preset> {
    const preset = (await builtIns()).find((p) => p.id === id) ?? (await store.read()).presets.find((p) => p.id === id);
    if (!preset) throw notFound();
    return preset;
  }

  /**
   * Saves a new preset. When the name is taken: 'fail' refuses (NAME_TAKEN), 'rename' suffixes it, and
   * 'replace' puts it in the place of the person's preset of that name (a built-in is never replaced).
   */
  function add(name: string, description: string, given: Preset['settings'], onClash: NameClash): Promise<Preset> {
    // Stored with the units they were made in, so a later change of units reads them as they were meant.
    const settings = { version: SETTINGS_VERSION, ...given };
    return change((presets) => {
      const taken = [...BUILT_IN_PRESETS, ...presets].map((p) => p.name);
      const replaced = onClash === 'replace' ? presets.find((p) => sameName(p.name, name)) : undefined;
      if (replaced) {
        const preset: UserPreset = { ...replaced, name, description, settings };
        return { presets: presets.map((p) => (p === replaced ? preset : p)), result: preset };
      }
      if (onClash !== 'rename') assertFree(name, taken);
      const preset: UserPreset = { id: randomUUID(), name: onClash === 'rename' ? freeName(name, taken) : name, description, builtIn: false, settings };
      return { presets: [...presets, preset], result: preset };
    });
  }

  return {
    async list() {
      const user = [...(await store.read()).presets].sort((a, b) => byName.compare(a.name, b.name));
      // Copies: the built-ins and the store's cached document must not be changed through a result.
      return structuredClone([...(await builtIns()), ...user]);
    },

    save: ({ name, description, settings, replace }) => add(name, description, settings, replace ? 'replace' : 'fail'),

    async rename({ id, name }) {
      assertWritable(id);
      return change((presets) => {
        const current = presets.find((p) => p.id === id);
        if (!current) throw notFound();
        // The preset's own name does not count, so "bold" can become "Bold".
        assertFree(name, [...BUILT_IN_PRESETS, ...presets].filter((p) => p.id !== id).map((p) => p.name));
        const renamed = { ...current, name };
        return { presets: presets.map((p) => (p.id === id ? renamed : p)), result: renamed };
      });
    },

    async delete({ id }) {
      assertWritable(id);
      return change((presets) => {
        if (!presets.some((p) => p.id === id)) throw notFound();
        return { presets: presets.filter((p) => p.id !== id), result: null };
      });
    },

    async import({ json, onNameClash }) {
      // Parsed before anything is written: a rejected file changes nothing.
      const file = parsePresetFile(json);
      return add(file.name, file.description, file.settings, onNameClash ?? 'rename');
    },

    async export({ id }) {
      return presetFile(await find(id));
    },

    onDidChange(listener) {
      // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
      const entry = (): void => listener();
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
  };
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Names compare without regard to case, so "Bold" and "bold" cannot both be in the list. */
function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

function assertFree(name: string, taken: string[]): void {
  if (taken.some((other) => sameName(other, name))) {
    throw new AtelierError('NAME_TAKEN', `a preset named "${name}" already exists; choose another name`);
  }
}

/** `name`, or `name (2)`, `name (3)`… shortened to fit the 100-character limit. */
function freeName(name: string, taken: string[]): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`;
    // The limit counts UTF-16 units, as the schema does; a cut must not leave half a surrogate pair.
    const base = name.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/[\uD800-\uDBFF]$/, '').trimEnd();
    const candidate = `${base}${suffix}`;
    if (!taken.some((other) => sameName(other, candidate))) return candidate;
  }
}

function assertWritable(id: string): void {
  if (BUILT_IN_PRESETS.some((p) => p.id === id)) throw new AtelierError('READ_ONLY', 'built-in presets cannot be renamed or deleted (save a copy to make one your own)');
}

function notFound(): AtelierError {
  return new AtelierError('NOT_FOUND', 'that preset no longer exists');
}
