/**
 * The open modal dialogs, innermost last. Esc closes the innermost one and nothing else: a dialog
 * opened by a store (a confirmation) or by a component (Instant, Models) is closed the same way, and
 * the studio's own Esc (cancel the render) never runs while any dialog is open.
 */
const open: (() => void)[] = [];

function onKeydown(event: KeyboardEvent): void {
  const close = open.at(-1);
  if (event.key !== 'Escape' || !close || event.defaultPrevented) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  close();
}

/** Registers a dialog's close; returns the function that takes it off the stack again. */
export function pushDialog(close: () => void): () => void {
  // Capture phase on window: ahead of every other key handler, wherever the focus is.
  if (open.length === 0) window.addEventListener('keydown', onKeydown, true);
  open.push(close);
  return () => {
    const at = open.lastIndexOf(close);
    if (at >= 0) open.splice(at, 1);
    if (open.length === 0) window.removeEventListener('keydown', onKeydown, true);
  };
}

/** Whether any modal dialog is open (the page behind it takes no shortcuts). */
export function anyDialogOpen(): boolean {
  return open.length > 0;
}
