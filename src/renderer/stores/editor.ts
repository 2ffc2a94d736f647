import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { Pair } from '../../common/contract/domain.js';
import type { RenderSettingsInput } from '../../common/settings.js';
import { MAX_STYLES } from '../../common/wire.js';
import { baseName } from './file-data.js';
import { useLibraryStore, type SavePairInput } from './library.js';
import { usePresetsStore } from './presets.js';
import { useQueueStore } from './queue.js';
import { useAppStore } from './app.js';
import { applyLook, fromForm, largestSize, sameSettings, toForm, withSizeLimit, type SettingsForm, type SizeLimit } from './settings-form.js';
import { useUiStore } from './ui.js';

export interface StyleDraft {
  imageId: string;
  weight: number;
}

const SAVE_DELAY_MS = 400;
const UNTITLED = 'Untitled pair';
export { MAX_STYLES };

/**
 * The selected pair as it is being edited: content, styles with blend weights, the settings form and
 * its preset. Every valid change is saved to the library shortly after it is made.
 */
export const useEditorStore = defineStore('editor', () => {
  const library = useLibraryStore();
  const presets = usePresetsStore();
  const queue = useQueueStore();
  const ui = useUiStore();
  const app = useAppStore();

  const pairId = ref<string | null>(null);
  const name = ref('');
  const contentId = ref<string | null>(null);
  const styles = ref<StyleDraft[]>([]);
  const form = ref<SettingsForm>(toForm({}));
  const presetId = ref<string | null>(null);
  /** An instant pair's network and strength: not a panel field, kept through every edit and save. */
  const instant = ref<RenderSettingsInput['instant']>();
  /** The picture a render starts from when Start from is 'Starting picture' (a refined instant result). */
  const initImageId = ref<string | null>(null);
  /** The payload last saved (or loaded), to tell whether there is anything to save. */
  const savedSnapshot = ref('');
  const saving = ref(false);
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  /** The picture whose shape the render takes: the content photo, or the first style for a texture. */
  const shape = computed(() => {
    const id = form.value.mode === 'texture' ? styles.value[0]?.imageId : contentId.value;
    return (id && library.imageById.get(id)) || null;
  });
  const sizeLimit = computed<SizeLimit | null>(() => {
    const limit = app.info?.renderLimit;
    return limit && shape.value ? { backend: limit.backend, size: largestSize(limit.maxPixels, shape.value) } : null;
  });
  const validation = computed(() => withSizeLimit(fromForm(form.value), sizeLimit.value));
  const payload = computed<SavePairInput | null>(() => {
    if (!pairId.value || !validation.value.valid) return null;
    return {
      id: pairId.value,
      name: name.value.trim() || UNTITLED,
      contentId: contentId.value,
      styles: styles.value.map((s) => ({ imageId: s.imageId, weight: s.weight })),
      settings: instant.value ? { ...validation.value.settings, instant: instant.value } : validation.value.settings,
      presetId: presetId.value,
      // Left out when unset, so pairs without one keep their saved form.
      ...(initImageId.value && { initImageId: initImageId.value }),
    };
  });
  const snapshot = computed(() => JSON.stringify(payload.value));
  const dirty = computed(() => payload.value !== null && snapshot.value !== savedSnapshot.value);
  const preset = computed(() => (presetId.value ? presets.byId.get(presetId.value) ?? null : null));
  /** The settings no longer match the preset they started from. */
  const presetModified = computed(() => !!preset.value && !sameSettings(preset.value.settings, validation.value.settings));
  /** The pair's render in progress: the running one before any queued after it. */
  const activeJob = computed(() => {
    const jobs = queue.activeJobs.filter((job) => job.pairId === pairId.value);
    return jobs.find((job) => job.state === 'running') ?? jobs[0] ?? null;
  });
  /** This pair's renders, newest first, and the one the result viewer shows. */
  const renders = computed(() => (pairId.value ? library.rendersByPair.get(pairId.value) ?? [] : []));
  /** Unless one is chosen, the newest finished render: one cancelled early does not push it aside. */
  const currentRender = computed(
    () => renders.value.find((r) => r.id === ui.selectedRenderId) ?? renders.value.find((r) => !r.cancelled) ?? renders.value[0] ?? null,
  );
  /** Why Render cannot start yet, in words; null when it can. */
  const missing = computed<string | null>(() => {
    if (!pairId.value) return 'Create a pair first';
    if (activeJob.value) return 'Rendering this pair now';
    if (form.value.mode !== 'texture' && !contentId.value) return 'Choose a content photo';
    if (form.value.mode !== 'content' && !instant.value && styles.value.length === 0) return 'Add a style image';
    if (form.value.init === 'image' && !instant.value && !initImageId.value) return 'This pair has no starting picture: choose another Start from';
    if (!validation.value.valid) return 'Fix the highlighted settings';
    return null;
  });

  watch(snapshot, () => {
    if (!dirty.value) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void save(), SAVE_DELAY_MS);
  });

  function load(pair: Pair | null): void {
    clearTimeout(saveTimer);
    pairId.value = pair?.id ?? null;
    name.value = pair?.name ?? '';
    contentId.value = pair?.contentId ?? null;
    styles.value = (pair?.styles ?? []).map((s) => ({ ...s }));
    form.value = toForm(pair?.settings);
    // A copy: the panel's strength slider edits it, and the library's pair must change only when saved.
    instant.value = pair?.settings.instant && { ...pair.settings.instant };
    presetId.value = pair?.presetId ?? null;
    initImageId.value = pair?.initImageId ?? null;
    savedSnapshot.value = snapshot.value;
  }

  /** Saves pending changes now; false when the library refused them (the reason is shown). */
  /** The save in flight: saves run one after another, so an older one can never land after a newer one. */
  let lastSave: Promise<boolean> = Promise.resolve(true);

  /** Saves the pair as it is now, after any save already under way (Render right after an edit renders the edit). */
  function save(): Promise<boolean> {
    clearTimeout(saveTimer);
    const next = lastSave.then(saveNow, saveNow);
    lastSave = next;
    return next;
  }

  async function saveNow(): Promise<boolean> {
    const input = payload.value;
    if (!input || !dirty.value) return true;
    const sent = snapshot.value;
    saving.value = true;
    try {
      const pair = await library.savePair(input);
      if (pair && input.id === pairId.value) savedSnapshot.value = sent;
      return !!pair;
    } finally {
      saving.value = false;
    }
  }

  function imageName(id: string | null | undefined): string | null {
    const image = id ? library.imageById.get(id) : undefined;
    return image ? baseName(image.name) : null;
  }

  /** "tubingen × starry_night" while the person has not named the pair themselves. */
  function suggestedName(): string {
    const content = imageName(contentId.value);
    const style = imageName(styles.value[0]?.imageId);
    if (content && style) return `${content} × ${style}`;
    return content ?? style ?? UNTITLED;
  }

  function renameAfter(change: () => void): void {
    const automatic = name.value.trim() === '' || name.value.startsWith(UNTITLED) || name.value === suggestedName();
    change();
    if (automatic) name.value = suggestedName();
  }

  function setContent(id: string | null): void {
    renameAfter(() => (contentId.value = id));
  }

  /** Adds styles (skipping ones already there) up to the limit of eight. */
  function addStyles(ids: string[]): void {
    renameAfter(() => {
      for (const id of ids) {
        if (styles.value.some((s) => s.imageId === id)) continue;
        if (styles.value.length >= MAX_STYLES) {
          ui.toast('info', 'Eight styles at most', 'A pair blends up to eight style images.');
          break;
        }
        styles.value.push({ imageId: id, weight: 1 });
      }
    });
  }

  /** Puts another image in a style's place, keeping its weight; an image already used elsewhere is not doubled. */
  function replaceStyle(index: number, imageId: string): void {
    const existing = styles.value.findIndex((s) => s.imageId === imageId);
    if (existing === index || !styles.value[index]) return;
    renameAfter(() => {
      if (existing >= 0) styles.value.splice(existing, 1);
      const target = styles.value[existing >= 0 && existing < index ? index - 1 : index];
      if (target) target.imageId = imageId;
    });
  }

  function removeStyle(index: number): void {
    renameAfter(() => styles.value.splice(index, 1));
  }

  /**
   * Gives one style this share (0…1) of the blend; the others keep their proportions among themselves.
   * Weights are rescaled to sum to 1, which the engine normalizes to anyway.
   */
  function setStyleShare(index: number, share: number): void {
    const style = styles.value[index];
    if (!style || !Number.isFinite(share) || styles.value.length < 2) return;
    const own = Math.min(0.99, Math.max(0.01, share));
    const others = styles.value.reduce((sum, s, i) => (i === index ? sum : sum + s.weight), 0);
    for (const [i, s] of styles.value.entries()) {
      s.weight = i === index ? own : others > 0 ? (s.weight / others) * (1 - own) : (1 - own) / (styles.value.length - 1);
    }
  }

  /** A preset's look, or for null ("Custom settings") the default look to start from; the pair's size and schedule stay. */
  function applyPreset(id: string | null): void {
    const chosen = id ? presets.byId.get(id) : undefined;
    presetId.value = chosen?.id ?? null;
    form.value = applyLook(form.value, chosen?.settings ?? {});
  }

  function applySettings(settings: RenderSettingsInput): void {
    form.value = toForm(settings);
    instant.value = settings.instant && { ...settings.instant };
    presetId.value = null;
  }

  /** The pair's settings as they are now, to put back with restoreSettings (an Undo). */
  function settingsState(): { form: SettingsForm; instant: RenderSettingsInput['instant']; presetId: string | null } {
    return { form: { ...form.value }, instant: instant.value && { ...instant.value }, presetId: presetId.value };
  }

  function restoreSettings(state: ReturnType<typeof settingsState>): void {
    form.value = { ...state.form };
    instant.value = state.instant;
    presetId.value = state.presetId;
  }

  function resetSettings(): void {
    // The panel's fields go back to the defaults; an instant pair stays instant.
    applySettings(instant.value ? { instant: instant.value } : {});
  }

  async function createPair(): Promise<Pair | null> {
    await save();
    const pair = await library.savePair({ name: UNTITLED, contentId: null, styles: [], settings: {}, presetId: null });
    if (pair) ui.selectPair(pair.id);
    return pair;
  }

  let creating: Promise<boolean> | undefined;

  /**
   * Makes sure there is a pair to put an image in: creates and selects one when none is selected. Two
   * imports that finish close together (a dropped photo, then a chosen painting) share one creation;
   * each making its own pair would leave the editor on the second, empty one.
   */
  function ensurePair(): Promise<boolean> {
    if (pairId.value) return Promise.resolve(true);
    creating ??= (async () => {
      try {
        const pair = await createPair();
        if (pair) load(pair);
        return !!pair;
      } finally {
        creating = undefined;
      }
    })();
    return creating;
  }

  async function render(): Promise<void> {
    if (missing.value) {
      ui.toast('info', missing.value);
      return;
    }
    if (!(await save()) || !pairId.value) return;
    ui.selectRender(null);
    await queue.enqueue(pairId.value);
  }

  return {
    pairId, name, contentId, styles, form, instant, initImageId, presetId, savedSnapshot, saving,
    validation, sizeLimit, dirty, preset, presetModified, activeJob, renders, currentRender, missing,
    load, save, setContent, addStyles, replaceStyle, removeStyle, setStyleShare, applyPreset, applySettings, settingsState, restoreSettings, resetSettings, createPair, ensurePair, render,
  };
});
