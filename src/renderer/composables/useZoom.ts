import { computed, onMounted, onUnmounted, ref, type Ref } from 'vue';

export interface Size {
  width: number;
  height: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 8;
const STEP = 1.25;

/**
 * Zoom and pan of one image in a viewport: fit (the default, follows the viewport's size), 100 %,
 * steps, the mouse wheel around the pointer, and dragging to pan when the image is larger than the view.
 */
export function useZoom(viewport: Ref<HTMLElement | null>, natural: Ref<Size>) {
  const view = ref<Size>({ width: 0, height: 0 });
  const fit = ref(true);
  const manualScale = ref(1);
  const pan = ref({ x: 0, y: 0 });
  let observer: ResizeObserver | null = null;
  let drag: { id: number; x: number; y: number; panX: number; panY: number } | null = null;

  const fitScale = computed(() => {
    const { width, height } = natural.value;
    if (width <= 0 || height <= 0 || view.value.width <= 0 || view.value.height <= 0) return 1;
    return Math.min(view.value.width / width, view.value.height / height, MAX_SCALE);
  });
  const scale = computed(() => (fit.value ? fitScale.value : manualScale.value));
  /** Where the image's top-left corner sits in the viewport, and its drawn size. */
  const frame = computed(() => {
    const width = natural.value.width * scale.value;
    const height = natural.value.height * scale.value;
    const offset = fit.value ? { x: 0, y: 0 } : pan.value;
    return { left: (view.value.width - width) / 2 + offset.x, top: (view.value.height - height) / 2 + offset.y, width, height };
  });
  /** The frame as an element's style: its size on screen, moved into place. */
  const frameStyle = computed(() => ({
    width: `${frame.value.width}px`,
    height: `${frame.value.height}px`,
    transform: `translate(${frame.value.left}px, ${frame.value.top}px)`,
  }));
  const canPan = computed(() => !fit.value && (frame.value.width > view.value.width || frame.value.height > view.value.height));

  function clampPan(x: number, y: number, s: number): { x: number; y: number } {
    const maxX = Math.max(0, (natural.value.width * s - view.value.width) / 2);
    const maxY = Math.max(0, (natural.value.height * s - view.value.height) / 2);
    return { x: Math.min(maxX, Math.max(-maxX, x)), y: Math.min(maxY, Math.max(-maxY, y)) };
  }

  /** Zooms to `next`, keeping the image point under `anchor` (viewport pixels; default the centre) in place. */
  function zoomTo(next: number, anchor = { x: view.value.width / 2, y: view.value.height / 2 }): void {
    const target = Math.min(MAX_SCALE, Math.max(MIN_SCALE, next));
    const { left, top } = frame.value;
    const imageX = (anchor.x - left) / scale.value;
    const imageY = (anchor.y - top) / scale.value;
    const newLeft = anchor.x - imageX * target;
    const newTop = anchor.y - imageY * target;
    const centredLeft = (view.value.width - natural.value.width * target) / 2;
    const centredTop = (view.value.height - natural.value.height * target) / 2;
    fit.value = false;
    manualScale.value = target;
    pan.value = clampPan(newLeft - centredLeft, newTop - centredTop, target);
  }

  const zoomIn = () => zoomTo(scale.value * STEP);
  const zoomOut = () => zoomTo(scale.value / STEP);
  const actualSize = () => zoomTo(1);
  function fitToView(): void {
    fit.value = true;
    pan.value = { x: 0, y: 0 };
  }

  function onWheel(event: WheelEvent): void {
    event.preventDefault();
    // The pane under the pointer: side by side, both panes share this zoom and have the same size.
    const rect = ((event.currentTarget as HTMLElement | null) ?? viewport.value)?.getBoundingClientRect();
    const anchor = rect ? { x: event.clientX - rect.left, y: event.clientY - rect.top } : undefined;
    zoomTo(scale.value * Math.exp(-event.deltaY * 0.0015), anchor);
  }

  function onPointerdown(event: PointerEvent): void {
    if (!canPan.value || event.button !== 0) return;
    drag = { id: event.pointerId, x: event.clientX, y: event.clientY, panX: pan.value.x, panY: pan.value.y };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  }

  function onPointermove(event: PointerEvent): void {
    if (!drag || drag.id !== event.pointerId) return;
    pan.value = clampPan(drag.panX + event.clientX - drag.x, drag.panY + event.clientY - drag.y, scale.value);
  }

  function onPointerup(event: PointerEvent): void {
    if (drag?.id === event.pointerId) drag = null;
  }

  onMounted(() => {
    observer = new ResizeObserver(([entry]) => {
      if (entry) view.value = { width: entry.contentRect.width, height: entry.contentRect.height };
    });
    if (viewport.value) observer.observe(viewport.value);
  });

  onUnmounted(() => observer?.disconnect());

  return {
    fit, scale, frame, frameStyle, canPan, view, zoomIn, zoomOut, actualSize, fitToView, zoomTo,
    listeners: { wheel: onWheel, pointerdown: onPointerdown, pointermove: onPointermove, pointerup: onPointerup, pointercancel: onPointerup },
  };
}

/** A viewer's zoom, as its toolbar takes it. */
export type Zoom = ReturnType<typeof useZoom>;
