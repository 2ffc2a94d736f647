import { ref } from 'vue';
import { defineStore } from 'pinia';
import { subscribe, type EventPayload } from '../api/index.js';
import { describeError } from './error-words.js';

export type AppCommand = EventPayload<'app:command'>['command'];

export type ToastKind = 'success' | 'error' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message: string;
  /** A button in the toast (Undo); pressing it also dismisses the toast. */
  action?: ToastAction;
  /** Raw words from a library or the system, behind "Details". */
  details?: string;
}
export interface ToastAction {
  label: string;
  run: () => void;
}

export type Dialog =
  | { name: 'export'; renderId: string }
  | { name: 'save-preset' }
  | { name: 'rename-preset'; presetId: string }
  | { name: 'shortcuts' }
  | { name: 'batch' };

export interface Confirmation {
  title: string;
  message: string;
  confirmLabel: string;
  /** Styles the confirming button as destructive. */
  danger: boolean;
  /** A third answer beside confirming and keeping things as they are (such as "Keep both"). */
  alternative?: string;
}

export type ConfirmationAnswer = 'confirm' | 'alternative' | 'cancel';

// Errors stay until dismissed: a person may look away while a render runs, and an error gone unseen is
// lost. Successes and notes go by themselves.
const TOAST_MS: Record<ToastKind, number> = { success: 3500, info: 4000, error: 0 };

/** What the studio is showing: the selected pair and render, the open dialog, messages to the person. */
export const useUiStore = defineStore('ui', () => {
  const toasts = ref<Toast[]>([]);
  const selectedPairId = ref<string | null>(null);
  /** The render shown in the result viewer; null shows the latest render of the selected pair. */
  const selectedRenderId = ref<string | null>(null);
  const dialog = ref<Dialog | null>(null);
  const confirmation = ref<Confirmation | null>(null);
  /** The gallery drawer on narrow windows. */
  const sidebarOpen = ref(false);
  /** Bumped to ask the library strip to open the native file picker (Ctrl+O, the menu, empty states). */
  const importRequests = ref(0);
  let nextToastId = 1;
  let settleConfirmation: ((answer: ConfirmationAnswer) => void) | null = null;

  function toast(kind: ToastKind, title: string, message = '', timeoutMs = TOAST_MS[kind], action?: ToastAction, details?: string): number {
    const id = nextToastId++;
    // The same message again replaces the one showing instead of stacking a copy under it.
    toasts.value = toasts.value.filter((t) => t.kind !== kind || t.title !== title || t.message !== message);
    toasts.value.push({ id, kind, title, message, ...(action && { action }), ...(details && { details }) });
    if (toasts.value.length > 4) toasts.value.shift();
    if (timeoutMs > 0) setTimeout(() => dismissToast(id), timeoutMs);
    return id;
  }

  function dismissToast(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  /** Shows any error as a toast: the title chosen by its code, the service's own message below. */
  function showError(error: unknown): void {
    const view = describeError(error);
    toast('error', view.title, view.message, TOAST_MS.error, undefined, view.details);
  }

  function selectPair(id: string | null): void {
    if (selectedPairId.value !== id) selectedRenderId.value = null;
    selectedPairId.value = id;
    sidebarOpen.value = false;
  }

  function selectRender(id: string | null): void {
    selectedRenderId.value = id;
  }

  function requestImport(): void {
    importRequests.value++;
  }

  function openDialog(next: Dialog): void {
    dialog.value = next;
  }

  function closeDialog(): void {
    dialog.value = null;
  }

  /** Asks a question in a modal; resolves 'cancel' when dismissed. */
  function ask(question: Partial<Confirmation> & Pick<Confirmation, 'title' | 'message'>): Promise<ConfirmationAnswer> {
    settleConfirmation?.('cancel');
    confirmation.value = { confirmLabel: 'Delete', danger: true, ...question };
    return new Promise((resolve) => {
      settleConfirmation = resolve;
    });
  }

  /** Asks a yes/no question in a modal; resolves false when dismissed. */
  async function confirm(question: Partial<Confirmation> & Pick<Confirmation, 'title' | 'message'>): Promise<boolean> {
    return (await ask(question)) === 'confirm';
  }

  function answerConfirmation(answer: boolean | 'alternative'): void {
    confirmation.value = null;
    const settle = settleConfirmation;
    settleConfirmation = null;
    settle?.(answer === 'alternative' ? answer : answer ? 'confirm' : 'cancel');
  }

  /** Runs `handler` for each desktop menu command; returns the function that stops listening. */
  function listenCommands(handler: (command: AppCommand) => void): () => void {
    return subscribe('app:command', ({ command }) => handler(command));
  }

  /** Esc once the dialogs are closed (they close themselves): the gallery drawer. Returns whether anything closed. */
  function closeTopmost(): boolean {
    if (sidebarOpen.value) {
      sidebarOpen.value = false;
      return true;
    }
    return false;
  }

  return {
    toasts, selectedPairId, selectedRenderId, dialog, confirmation, sidebarOpen, importRequests,
    toast, requestImport, dismissToast, showError, selectPair, selectRender, openDialog, closeDialog, ask, confirm, answerConfirmation, closeTopmost, listenCommands,
  };
});
