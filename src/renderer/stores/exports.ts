import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import { EXPORT_FORMATS, type ExportRequest } from '../../common/contract/domain.js';
import type { RenderSettingsInput } from '../../common/settings.js';
import { api, type Api } from '../api/index.js';
import { uploadOf } from './file-data.js';
import { useUiStore } from './ui.js';

export type ExportResult = Awaited<ReturnType<Api['export']['render']>>;

const REMEMBERED_KEY = 'atelier.export';

/** The page's local storage; none where the stores run in Node (their tests). */
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
}

function readRemembered(): { format: ExportRequest['format']; quality: number } {
  const fallback = { format: 'png' as const, quality: 92 };
  try {
    const saved = JSON.parse(storage()?.getItem(REMEMBERED_KEY) ?? 'null') as { format?: unknown; quality?: unknown } | null;
    const format = EXPORT_FORMATS.find((f) => f === saved?.format) ?? fallback.format;
    const quality = typeof saved?.quality === 'number' && saved.quality >= 1 && saved.quality <= 100 ? saved.quality : fallback.quality;
    return { format, quality };
  } catch {
    return fallback;
  }
}

/** Writing renders out as files, and reading Atelier's settings back from such a file. */
export const useExportsStore = defineStore('exports', () => {
  const ui = useUiStore();

  const busy = ref(false);
  const lastExport = ref<ExportResult | null>(null);
  /** The format and quality of the last export, offered again next time (and after a restart). */
  const remembered = readRemembered();
  const format = ref<ExportRequest['format']>(remembered.format);
  const quality = ref(remembered.quality);
  watch([format, quality], () => storage()?.setItem(REMEMBERED_KEY, JSON.stringify({ format: format.value, quality: quality.value })));

  async function exportRender(request: ExportRequest): Promise<ExportResult | null> {
    busy.value = true;
    try {
      const result = await api.export.render(request);
      lastExport.value = result;
      // No toast: the caller shows where the file went (the export dialog's result line).
      return result;
    } catch (error) {
      ui.showError(error);
      return null;
    } finally {
      busy.value = false;
    }
  }

  /**
   * The settings embedded in an image Atelier exported. Throws the service's error (an image with no
   * Atelier settings, a damaged file) so the caller can decide what a plain image means instead.
   */
  async function readSettings(file: File): Promise<{ settings: RenderSettingsInput; pairName: string | null }> {
    return api.export.readSettings(await uploadOf(file));
  }

  /** Where exports go, and whether a native dialog can change it (desktop only; web mode downloads). */
  async function folder(): Promise<{ folder: string; canChoose: boolean } | null> {
    try {
      return await api.export.folder({});
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  /** Desktop: the native folder dialog; null when cancelled or refused (the refusal is shown). */
  async function chooseFolder(): Promise<{ folder: string } | null> {
    try {
      return await api.export.chooseFolder({});
    } catch (error) {
      ui.showError(error);
      return null;
    }
  }

  async function showInFolder(path: string): Promise<void> {
    try {
      await api.export.showInFolder({ path });
    } catch (error) {
      ui.showError(error);
    }
  }

  return { busy, lastExport, format, quality, exportRender, readSettings, folder, chooseFolder, showInFolder };
});
