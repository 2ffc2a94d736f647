import { ref } from 'vue';
import { defineStore } from 'pinia';
import type { ExportRequest } from '../../common/contract/domain.js';
import type { RenderSettingsInput } from '../../common/settings.js';
import { api, type Api } from '../api/index.js';
import { uploadOf } from './file-data.js';
import { useUiStore } from './ui.js';

export type ExportResult = Awaited<ReturnType<Api['export']['render']>>;

/** Writing renders out as files, and reading Atelier's settings back from such a file. */
export const useExportsStore = defineStore('exports', () => {
  const ui = useUiStore();

  const busy = ref(false);
  const lastExport = ref<ExportResult | null>(null);

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

  return { busy, lastExport, exportRender, readSettings };
});
