import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { RenderRecord } from '../../common/contract/domain.js';
import { FAST_STYLE_TITLES, instantLongSide, type FastStyle } from '../../common/instant.js';
import { api } from '../api/index.js';
import { useLibraryStore } from './library.js';
import { useQueueStore } from './queue.js';
import { useUiStore } from './ui.js';

export interface InstantLook {
  net: FastStyle;
  title: string;
  /** A data: URL of the small JPEG preview. */
  src: string;
}

/**
 * The "Instant" way to start: a photo, its nine looks side by side, one picked and its strength set,
 * then a full-size instant render that the queue runs and the library keeps like any other.
 */
export const useInstantStore = defineStore('instant', () => {
  const ui = useUiStore();
  const library = useLibraryStore();
  const queue = useQueueStore();

  const open = ref(false);
  const contentId = ref<string | null>(null);
  const looks = ref<InstantLook[]>([]);
  const painting = ref(false);
  const picked = ref<FastStyle | null>(null);
  const strength = ref(100);
  const keepColors = ref(false);
  let request = 0;

  const photo = computed(() => (contentId.value ? library.imageById.get(contentId.value) ?? null : null));
  const pickedLook = computed(() => looks.value.find((look) => look.net === picked.value) ?? null);
  const fullSize = computed(() => (photo.value ? instantLongSide(photo.value.width, photo.value.height) : null));

  function start(photoId: string | null = null): void {
    open.value = true;
    looks.value = [];
    picked.value = null;
    contentId.value = null;
    if (photoId) void choosePhoto(photoId);
  }

  function close(): void {
    open.value = false;
    request++;
  }

  async function choosePhoto(id: string): Promise<void> {
    contentId.value = id;
    picked.value = null;
    looks.value = [];
    painting.value = true;
    const mine = ++request;
    try {
      const painted = await api.instant.looks({ contentId: id });
      // A newer photo (or closing) wins over a slower, older answer.
      if (mine !== request) return;
      looks.value = painted.map(({ net, jpegBase64 }) => ({ net, title: FAST_STYLE_TITLES[net], src: `data:image/jpeg;base64,${jpegBase64}` }));
    } catch (error) {
      if (mine === request) ui.showError(error);
    } finally {
      if (mine === request) painting.value = false;
    }
  }

  function pick(net: FastStyle | null): void {
    picked.value = net;
  }

  /** Saves the pick as a pair of its own and queues its full-size render; the studio then shows it. */
  async function renderFullSize(): Promise<boolean> {
    const image = photo.value;
    const net = picked.value;
    if (!image || !net) return false;
    // Exports can still upscale a smaller render to the photo's original size.
    const size = instantLongSide(image.width, image.height);
    const pair = await library.savePair({
      name: `${image.name.replace(/\.[^.]+$/, '')} · ${FAST_STYLE_TITLES[net]}`,
      contentId: image.id,
      styles: [],
      settings: { size, keepColors: keepColors.value, instant: { net, strength: strength.value } },
      presetId: null,
    });
    if (!pair) return false;
    ui.selectPair(pair.id);
    ui.selectRender(null);
    close();
    return (await queue.enqueue(pair.id)) !== null;
  }

  /**
   * "Refine with Gatys…": the instant result becomes a picture in the library and the starting image of
   * a new Gatys pair on the same photo; the person adds a style and renders. The pair keeps the result's
   * colour choice and otherwise the app's defaults.
   */
  async function refineWithGatys(render: RenderRecord): Promise<boolean> {
    const start = await library.importRender(render.id);
    if (!start) return false;
    const source = library.pairById.get(render.pairId);
    const net = render.settings.instant?.net;
    const pair = await library.savePair({
      // Named from the front: the pairs list cuts long names, and this one must not read as its source.
      name: `Gatys · ${source?.name ?? (net ? FAST_STYLE_TITLES[net] : 'instant result')}`.slice(0, 200),
      contentId: render.contentId ?? source?.contentId ?? null,
      styles: [],
      settings: { init: 'image', ...(render.settings.keepColors && { keepColors: true }) },
      presetId: null,
      initImageId: start.id,
    });
    if (!pair) return false;
    ui.selectPair(pair.id);
    ui.selectRender(null);
    ui.toast('info', 'Refine with Gatys', 'This pair starts from the instant result. Add a style image, then Render.');
    return true;
  }

  return { open, contentId, photo, fullSize, looks, painting, picked, pickedLook, strength, keepColors, start, close, choosePhoto, pick, renderFullSize, refineWithGatys };
});
