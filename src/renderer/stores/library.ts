import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { ImageAsset, Pair, RenderRecord } from '../../common/contract/domain.js';
import { api, mediaUrl, subscribe, type Api } from '../api/index.js';
import { uploadOf } from './file-data.js';
import { useUiStore } from './ui.js';

export type SavePairInput = Parameters<Api['library']['savePair']>[0];
type Collection = 'images' | 'pairs' | 'renders';

const newestFirst = <T>(key: (item: T) => string) => (a: T, b: T) => key(b).localeCompare(key(a));

/** The person's work: imported images, pairs and finished renders, as the library service keeps them. */
export const useLibraryStore = defineStore('library', () => {
  const ui = useUiStore();

  const images = ref<ImageAsset[]>([]);
  const pairs = ref<Pair[]>([]);
  const renders = ref<RenderRecord[]>([]);
  const loaded = ref(false);
  /** Files being read or imported right now, for a progress hint. */
  const importing = ref(0);
  /** Pairs and renders deleted in the page whose undo time has not run out: kept out of every list. */
  const withheld = new Set<string>();

  const imageById = computed(() => new Map(images.value.map((image) => [image.id, image])));
  const pairById = computed(() => new Map(pairs.value.map((pair) => [pair.id, pair])));
  /** Renders per pair, newest first. */
  const rendersByPair = computed(() => {
    const map = new Map<string, RenderRecord[]>();
    for (const record of [...renders.value].sort(newestFirst((r) => r.finishedAt))) {
      const list = map.get(record.pairId) ?? [];
      list.push(record);
      map.set(record.pairId, list);
    }
    return map;
  });
  const sortedPairs = computed(() => [...pairs.value].sort(newestFirst((p) => p.updatedAt)));
  const sortedImages = computed(() => [...images.value].sort(newestFirst((i) => i.importedAt)));

  /** Where an <img> finds an imported image (its thumbnail, or the file as imported). */
  function imageUrl(id: string, variant: 'thumbnail' | 'original' = 'thumbnail'): string {
    return mediaUrl('image', id, variant);
  }

  /** Where an <img> finds a finished render. */
  function renderUrl(id: string, variant: 'thumbnail' | 'full' = 'thumbnail'): string {
    return mediaUrl('render', id, variant);
  }

  async function refresh(what: Collection): Promise<void> {
    try {
      if (what === 'images') images.value = await api.library.listImages({});
      else if (what === 'pairs') pairs.value = (await api.library.listPairs({})).filter((p) => !withheld.has(p.id));
      else renders.value = (await api.library.listRenders({})).filter((r) => !withheld.has(r.id) && !withheld.has(r.pairId));
    } catch (error) {
      ui.showError(error);
    }
  }

  async function load(): Promise<void> {
    await Promise.all([refresh('images'), refresh('pairs'), refresh('renders')]);
    loaded.value = true;
  }

  /** Keeps the lists current when a service changes them (another window, a finished render). */
  function listen(): () => void {
    return subscribe('library:changed', ({ what }) => void refresh(what));
  }

  function upsertImage(image: ImageAsset): void {
    images.value = [...images.value.filter((i) => i.id !== image.id), image];
  }

  /**
   * Imports each file; a file already in the library is reported and reused, and a file the service
   * refuses (not an image, damaged, too large) is reported with its message. Returns what was imported.
   */
  async function importFiles(files: Iterable<File>): Promise<ImageAsset[]> {
    const imported: ImageAsset[] = [];
    let fresh = 0;
    for (const file of files) {
      importing.value++;
      try {
        const { image, duplicate } = await api.library.importImage(await uploadOf(file));
        upsertImage(image);
        imported.push(image);
        if (!duplicate) fresh++;
        if (duplicate) ui.toast('info', 'Already in the library', `“${file.name}” was imported before as “${image.name}”; using that one.`);
      } catch (error) {
        ui.showError(error);
      } finally {
        importing.value--;
      }
    }
    if (fresh > 0) ui.toast('success', fresh === 1 ? 'Image imported' : `Imported ${fresh} images`);
    return imported;
  }

  async function importSamples(): Promise<ImageAsset[]> {
    try {
      const added = await api.library.importSamples({});
      for (const image of added) upsertImage(image);
      ui.toast('success', 'Sample images added', `${added.length} photos and paintings are in the library.`);
      return added;
    } catch (error) {
      ui.showError(error);
      return [];
    }
  }

  async function deleteImage(id: string): Promise<boolean> {
    try {
      await api.library.deleteImage({ id });
      images.value = images.value.filter((i) => i.id !== id);
      return true;
    } catch (error) {
      // IN_USE: the service's message names the pairs that still use the image.
      ui.showError(error);
      return false;
    }
  }

  async function savePair(input: SavePairInput): Promise<Pair | null> {
    try {
      const pair = await api.library.savePair(input);
      pairs.value = [...pairs.value.filter((p) => p.id !== pair.id), pair];
      return pair;
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  /** A finished render as an imported image, to start a Gatys render from; null when refused (the reason is shown). */
  async function importRender(id: string): Promise<ImageAsset | null> {
    try {
      const { image } = await api.library.importRender({ id });
      upsertImage(image);
      return image;
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  async function deletePair(id: string): Promise<boolean> {
    try {
      await api.library.deletePair({ id });
      pairs.value = pairs.value.filter((p) => p.id !== id);
      renders.value = renders.value.filter((r) => r.pairId !== id);
      return true;
    } catch (error) {
      ui.showError(error);
      return false;
    }
  }

  async function deleteRender(id: string): Promise<boolean> {
    try {
      await api.library.deleteRender({ id });
      renders.value = renders.value.filter((r) => r.id !== id);
      return true;
    } catch (error) {
      ui.showError(error);
      return false;
    }
  }

  /** Hides a pair (with its renders) or a render until `release`; the library still has it. */
  function withhold(id: string): void {
    withheld.add(id);
    pairs.value = pairs.value.filter((p) => p.id !== id);
    renders.value = renders.value.filter((r) => r.id !== id && r.pairId !== id);
  }

  /** Desktop: a folder through the native dialog, its photos imported; null when cancelled or refused (the refusal is shown). */
  async function importFolder(): Promise<Awaited<ReturnType<typeof api.library.importFolder>>> {
    try {
      const result = await api.library.importFolder({});
      if (result) await refresh('images');
      return result;
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  /** Shows again what `withhold` hid, as the library has it now (nothing, once deleted). */
  async function release(id: string): Promise<void> {
    withheld.delete(id);
    await Promise.all([refresh('pairs'), refresh('renders')]);
  }

  return {
    withhold, release,
    images, pairs, renders, loaded, importing,
    imageById, pairById, rendersByPair, sortedPairs, sortedImages,
    imageUrl, renderUrl, load, refresh, listen, importFiles, importFolder, importSamples, importRender, deleteImage, savePair, deletePair, deleteRender,
  };
});
