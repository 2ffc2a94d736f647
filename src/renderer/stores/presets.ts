import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { Preset } from '../../common/contract/domain.js';
import type { RenderSettingsInput } from '../../common/settings.js';
import { AtelierError } from '../../common/errors.js';
import { api, subscribe } from '../api/index.js';
import { describeError } from './error-words.js';
import { useUiStore } from './ui.js';

const isNameTaken = (error: unknown): boolean => error instanceof AtelierError && error.code === 'NAME_TAKEN';

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Built-in and saved presets: named settings a pair can start from. */
export const usePresetsStore = defineStore('presets', () => {
  const ui = useUiStore();

  const presets = ref<Preset[]>([]);

  const builtIn = computed(() => presets.value.filter((p) => p.builtIn));
  const saved = computed(() => presets.value.filter((p) => !p.builtIn).sort((a, b) => a.name.localeCompare(b.name)));
  const byId = computed(() => new Map(presets.value.map((p) => [p.id, p])));

  async function load(): Promise<void> {
    try {
      presets.value = await api.presets.list({});
    } catch (error) {
      ui.showError(error);
    }
  }

  function listen(): () => void {
    return subscribe('presets:changed', () => void load());
  }

  function upsert(preset: Preset): void {
    presets.value = [...presets.value.filter((p) => p.id !== preset.id), preset];
  }

  /**
   * Saves the settings as a preset; `replace` overwrites the person's preset of that name. A taken name
   * comes back as 'taken' (no toast), so the dialog can say it at the field and offer to replace.
   */
  async function save(name: string, description: string, settings: RenderSettingsInput, replace = false): Promise<Preset | 'taken' | null> {
    try {
      const preset = await api.presets.save({ name, description, settings, replace });
      upsert(preset);
      ui.toast('success', replace ? 'Preset replaced' : 'Preset saved', `“${preset.name}” is in your presets.`);
      return preset;
    } catch (error) {
      if (isNameTaken(error)) return 'taken';
      ui.showError(error);
      return null;
    }
  }

  async function rename(id: string, name: string): Promise<Preset | 'taken' | null> {
    try {
      const preset = await api.presets.rename({ id, name });
      upsert(preset);
      return preset;
    } catch (error) {
      if (isNameTaken(error)) return 'taken';
      ui.showError(error);
      return null;
    }
  }

  async function remove(id: string): Promise<boolean> {
    try {
      await api.presets.delete({ id });
      presets.value = presets.value.filter((p) => p.id !== id);
      return true;
    } catch (error) {
      ui.showError(error);
      return false;
    }
  }

  /** A preset file chosen by the person; a file that is not a preset is refused with the service's message. */
  async function importFile(file: Blob & { name?: string }): Promise<Preset | null> {
    try {
      const json = await file.text();
      let preset: Preset;
      try {
        preset = await api.presets.import({ json, onNameClash: 'fail' });
      } catch (error) {
        if (!isNameTaken(error)) throw error;
        // The same choice as saving under a taken name: replace it, or keep both under a new name.
        const answer = await ui.ask({
          title: 'A preset of that name exists',
          message: `${capitalize((error as Error).message.replace(/; choose another name$/, ''))}. Replace yours with the imported one, or keep both (the import gets a number)?`,
          confirmLabel: 'Replace',
          alternative: 'Keep both',
          danger: true,
        });
        if (answer === 'cancel') return null;
        preset = await api.presets.import({ json, onNameClash: answer === 'confirm' ? 'replace' : 'rename' });
      }
      upsert(preset);
      ui.toast('success', 'Preset imported', `“${preset.name}” is in your presets.`);
      return preset;
    } catch (error) {
      // The service sees only the text; the file's name is known here, so the message names it.
      const view = describeError(error);
      ui.toast('error', view.title, file.name ? `Could not import "${file.name}": ${view.message}` : view.message);
      return null;
    }
  }

  /** The preset as a file: its suggested name and JSON text, for a download link. */
  async function exportFile(id: string): Promise<{ fileName: string; json: string } | null> {
    try {
      return await api.presets.export({ id });
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  return { presets, builtIn, saved, byId, load, listen, save, rename, remove, importFile, exportFile };
});
