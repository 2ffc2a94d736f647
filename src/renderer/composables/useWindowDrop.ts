import { onMounted, onUnmounted, ref } from 'vue';
import { UNDO_MS, useEditorStore, useExportsStore, useLibraryStore, useUiStore } from '../stores/index.js';
import { dragHasFiles } from './drag-data.js';

/**
 * Files dropped anywhere outside a drop zone: an image Atelier exported gives its settings back to the
 * current pair (after asking, with Undo); any other image goes into the library. `dragging` drives the window's drop hint.
 */
export function useWindowDrop() {
  const editor = useEditorStore();
  const exportsStore = useExportsStore();
  const library = useLibraryStore();
  const ui = useUiStore();
  const dragging = ref(false);
  let depth = 0;

  async function restoreOrImport(files: File[]): Promise<void> {
    const [first, ...rest] = files;
    if (!first) return;
    try {
      const { settings, pairName } = await exportsStore.readSettings(first);
      const replacing = editor.pairId !== null;
      // The open pair's settings are the person's work: asked first, and the replacement can be undone.
      if (replacing) {
        const answer = await ui.ask({
          title: `Use the settings of ${first.name}?`,
          message: `They replace the settings of “${editor.name}”. The pictures stay as they are.`,
          confirmLabel: 'Replace settings',
          danger: false,
        });
        if (answer !== 'confirm') return;
      }
      if (!(await editor.ensurePair())) return;
      const before = editor.settingsState();
      editor.applySettings(settings);
      const words = pairName ? `These are the settings of “${pairName}”.` : '';
      const undo = replacing ? { label: 'Undo', run: () => editor.restoreSettings(before) } : undefined;
      ui.toast('success', `Settings restored from ${first.name}`, words, UNDO_MS, undo);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A plain image (no Atelier settings), or not an image at all: import it, which reports what is wrong.
      if (code === 'NO_SETTINGS' || (typeof code === 'string' && code.startsWith('IMAGE_'))) await library.importFiles([first]);
      else ui.showError(error);
    }
    if (rest.length > 0) await library.importFiles(rest);
  }

  function onDragenter(event: DragEvent): void {
    if (!dragHasFiles(event)) return;
    depth++;
    dragging.value = true;
  }

  function onDragleave(): void {
    depth = Math.max(0, depth - 1);
    if (depth === 0) dragging.value = false;
  }

  function onDragover(event: DragEvent): void {
    if (!dragHasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  }

  function onDrop(event: DragEvent): void {
    depth = 0;
    dragging.value = false;
    // A drop zone took it already.
    if (event.defaultPrevented) return;
    // Keep the browser from navigating to a dropped file.
    event.preventDefault();
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) void restoreOrImport(files);
  }

  onMounted(() => {
    window.addEventListener('dragenter', onDragenter);
    window.addEventListener('dragleave', onDragleave);
    window.addEventListener('dragover', onDragover);
    window.addEventListener('drop', onDrop);
  });

  onUnmounted(() => {
    window.removeEventListener('dragenter', onDragenter);
    window.removeEventListener('dragleave', onDragleave);
    window.removeEventListener('dragover', onDragover);
    window.removeEventListener('drop', onDrop);
  });

  return { dragging };
}
