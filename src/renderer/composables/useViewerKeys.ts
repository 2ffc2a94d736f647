import { onMounted, onUnmounted, ref } from 'vue';
import { isTyping } from './useShortcuts.js';

/** Held down, the viewer shows the photo before the style, as Lightroom's key does. */
const FLIP_KEY = '\\';

export const VIEWER_SHORTCUTS = [
  { keys: '+ / −', action: 'Zoom the result in or out' },
  { keys: '0', action: 'Fit the result to the window' },
  { keys: '1', action: 'Show the result at 100%' },
  { keys: `Hold ${FLIP_KEY}`, action: 'Show the photo before the style' },
] as const;

interface ZoomActions {
  zoomIn(): void;
  zoomOut(): void;
  fitToView(): void;
  actualSize(): void;
}

/**
 * The result viewer's keys, for as long as the viewer lives: + and − zoom, 0 fits, 1 is 100 %, and
 * holding the flip key shows the before picture. Plain keys only: Ctrl/⌘ with them is the browser's zoom.
 */
export function useViewerKeys(zoom: ZoomActions) {
  const flipped = ref(false);

  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (document.querySelector('[role="dialog"]')) return;
    const actions: Record<string, () => void> = {
      '+': zoom.zoomIn, '=': zoom.zoomIn, '-': zoom.zoomOut, '_': zoom.zoomOut, '0': zoom.fitToView, '1': zoom.actualSize,
      [FLIP_KEY]: () => (flipped.value = true),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    if (!event.repeat) action();
  }

  function onKeyup(event: KeyboardEvent): void {
    if (event.key === FLIP_KEY) flipped.value = false;
  }

  // A key released while the window is in the background never sends its keyup here.
  const release = () => (flipped.value = false);

  onMounted(() => {
    window.addEventListener('keydown', onKeydown);
    window.addEventListener('keyup', onKeyup);
    window.addEventListener('blur', release);
  });
  onUnmounted(() => {
    window.removeEventListener('keydown', onKeydown);
    window.removeEventListener('keyup', onKeyup);
    window.removeEventListener('blur', release);
  });

  return { flipped };
}
