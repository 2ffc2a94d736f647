/**
 * The nine pretrained feed-forward style networks (Johnson et al. 2016), in the order the studio's
 * grid and the CLI's contact sheet show them, with the painting each was trained on.
 */
export const FAST_STYLES = ['la_muse', 'mathura', 'matilde_perez', 'matta', 'rain_princess', 'scream', 'udnie', 'wave', 'wreck'] as const;
export type FastStyle = (typeof FAST_STYLES)[number];

export const FAST_STYLE_TITLES: Record<FastStyle, string> = {
  la_muse: 'La Muse',
  mathura: 'Mathura',
  matilde_perez: 'Matilde Pérez',
  matta: 'Matta',
  rain_princess: 'Rain Princess',
  scream: 'The Scream',
  udnie: 'Udnie',
  wave: 'The Great Wave',
  wreck: 'The Shipwreck',
};

/** Long side of the studio's instant preview grid, and of the CLI's contact-sheet cells. */
export const INSTANT_PREVIEW_SIZE = 256;

/**
 * Most pixels the studio asks of a full-size instant render: well inside what one forward pass can hold
 * on the WebAssembly backend (about 3.7 megapixels; the engine refuses more, naming the size that fits).
 */
const MAX_INSTANT_PIXELS = 3_000_000;

/** Long side of an instant render of a width×height photo: its own, or smaller to stay within MAX_INSTANT_PIXELS. */
export function instantLongSide(width: number, height: number): number {
  const long = Math.max(width, height);
  return Math.max(16, Math.min(long, Math.floor(long * Math.sqrt(MAX_INSTANT_PIXELS / (width * height)))));
}
