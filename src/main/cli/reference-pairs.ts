/**
 * jcjohnson/neural-style's published results on the sample images (../shared/images/reference/README.md),
 * the yardstick of `bench:quality`: single styles, blends, and one pair at three style scales. Paths are
 * relative to the shared images folder.
 */
export interface ReferencePair {
  reference: string;
  content: string;
  styles: { path: string; weight: number }[];
  /** neural-style's -style_scale for this result (1 when unset). */
  styleScale?: number;
}

const STARRY = 'style/starry_night.jpg';
const SCREAM = 'style/the_scream.jpg';
const TUBINGEN = 'content/tubingen.jpg';
const GOLDEN_GATE = 'content/golden_gate.jpg';
const one = (path: string) => [{ path, weight: 1 }];
const blend = (starry: number, scream: number) => [{ path: STARRY, weight: starry }, { path: SCREAM, weight: scream }];

export const REFERENCE_PAIRS: readonly ReferencePair[] = [
  { reference: 'tubingen_starry.png', content: TUBINGEN, styles: one(STARRY) },
  { reference: 'tubingen_scream.png', content: TUBINGEN, styles: one(SCREAM) },
  { reference: 'tubingen_shipwreck.png', content: TUBINGEN, styles: one('style/shipwreck.jpg') },
  { reference: 'golden_gate_scream.png', content: GOLDEN_GATE, styles: one(SCREAM) },
  { reference: 'golden_gate_starry.png', content: GOLDEN_GATE, styles: one('reference/inputs/starry_night_crop.png') },
  { reference: 'golden_gate_starry_scale2.png', content: GOLDEN_GATE, styles: one(STARRY), styleScale: 2 },
  { reference: 'golden_gate_starry_scale1.png', content: GOLDEN_GATE, styles: one(STARRY), styleScale: 1 },
  { reference: 'golden_gate_starry_scale05.png', content: GOLDEN_GATE, styles: one(STARRY), styleScale: 0.5 },
  { reference: 'tubingen_starry_scream.png', content: TUBINGEN, styles: blend(1, 1) },
  { reference: 'golden_gate_starry_scream_3_7.png', content: GOLDEN_GATE, styles: blend(3, 7) },
  { reference: 'golden_gate_starry_scream_5_5.png', content: GOLDEN_GATE, styles: blend(5, 5) },
  { reference: 'golden_gate_starry_scream_7_3.png', content: GOLDEN_GATE, styles: blend(7, 3) },
];
