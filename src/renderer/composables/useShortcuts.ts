import { onMounted, onUnmounted } from 'vue';
import { useEditorStore, useQueueStore, useUiStore } from '../stores/index.js';
import { anyDialogOpen } from './dialog-stack.js';

export const SHORTCUTS = [
  { keys: 'Ctrl/⌘ O', action: 'Import images' },
  { keys: 'Ctrl/⌘ Enter', action: 'Render the current pair' },
  { keys: 'Ctrl/⌘ E', action: 'Export the shown render' },
  { keys: 'Ctrl/⌘ S', action: 'Save the settings as a preset' },
  { keys: 'Esc', action: 'Close a dialog; otherwise cancel the running render' },
  { keys: '?', action: 'Show these shortcuts' },
] as const;

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** The studio's keyboard shortcuts and the desktop menu's commands, for as long as the caller lives. */
export function useShortcuts(): void {
  const editor = useEditorStore();
  const queue = useQueueStore();
  const ui = useUiStore();
  let stopCommands: (() => void) | null = null;

  function openExport(): void {
    const render = editor.currentRender;
    if (render) ui.openDialog({ name: 'export', renderId: render.id });
    else ui.toast('info', 'Nothing to export yet', 'Render the pair first; its result can then be exported.');
  }


  function onKeydown(event: KeyboardEvent): void {
    // An open dialog takes the keyboard (Esc closes it, see dialog-stack.ts); the studio behind takes no shortcuts.
    if (event.defaultPrevented || anyDialogOpen()) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (event.key === 'Escape') {
      if (!ui.closeTopmost() && !isTyping(event.target) && editor.activeJob) void queue.confirmCancel(editor.activeJob);
      return;
    }
    if (mod && key === 'o') ui.requestImport();
    else if (mod && event.key === 'Enter') void editor.render();
    else if (mod && key === 'e') openExport();
    else if (mod && key === 's') ui.openDialog({ name: 'save-preset' });
    else if (event.key === '?' && !isTyping(event.target)) ui.openDialog({ name: 'shortcuts' });
    else return;
    event.preventDefault();
  }

  onMounted(() => {
    window.addEventListener('keydown', onKeydown);
    stopCommands = ui.listenCommands((command) => {
      if (command === 'open-photos') ui.requestImport();
      else if (command === 'export') openExport();
      else if (command === 'help') ui.openDialog({ name: 'shortcuts' });
      else if (command === 'preferences') document.getElementById('settings-panel')?.focus();
    });
  });

  onUnmounted(() => {
    window.removeEventListener('keydown', onKeydown);
    stopCommands?.();
  });
}
