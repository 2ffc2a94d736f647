import type { SettingsField } from '../../stores/settings-form.js';

/**
 * What each render setting is called in the panel and a one-line explanation of what it does
 * (the same meanings as the CLI table in README.md and the schema in src/common/settings.ts).
 */
export const SETTING_DOCS: Record<SettingsField, { label: string; help: string }> = {
  mode: { label: 'Mode', help: 'Transfer paints the photo in the style; Content and Texture rebuild one of them alone from noise.' },
  size: { label: 'Size', help: 'Long side of the result in pixels; time and memory grow with its square.' },
  scales: { label: 'Stages', help: 'Coarse-to-fine stage sizes, ascending, the last equal to Size; empty chooses them from the size.' },
  iterations: { label: 'Iterations', help: 'Optimizer steps per stage: one number for all, or one per stage; empty chooses them from the size.' },
  schedule: { label: 'Schedule', help: 'How long the automatic schedule paints while Iterations is empty: Finest runs about five times longer and came closest to the best-known results.' },
  optimizer: { label: 'Optimizer', help: 'L-BFGS converges in fewer steps (the paper’s choice); Adam is steadier at large sizes; Gradient is plain gradient descent.' },
  learningRate: { label: 'Learning rate', help: 'Step size in pixel units (0–255): Adam’s, and gradient descent’s mean step.' },
  historySize: { label: 'History size', help: 'How many past steps L-BFGS remembers to estimate curvature.' },
  init: { label: 'Start from', help: 'The starting image: the content photo, seeded noise, the style image, or a starting picture (an instant result being refined).' },
  seed: { label: 'Seed', help: 'Random seed for the noise; same settings and seed give the same picture.' },
  contentLayers: { label: 'Content layers', help: 'VGG19 layers whose features must match the photo (the paper uses conv4_2).' },
  styleLayers: { label: 'Style layers', help: 'VGG19 layers whose Gram matrices must match the painting; lower layers give finer texture.' },
  styleLayerWeights: { label: 'Style-layer weights', help: 'Weight of each style layer, comma-separated (normalized to sum 1); empty for equal.' },
  contentWeight: { label: 'Content weight (α)', help: 'How strongly the result keeps the photo’s content.' },
  styleWeight: { label: 'Style weight (β)', help: 'How strongly it takes on the style, the same for every painting: 3 keeps more of the photo, 100 little but its layout.' },
  tvWeight: { label: 'TV weight (γ)', help: 'Total-variation smoothness: higher values remove speckle and fine noise.' },
  tvKind: { label: 'TV kind', help: 'L1 (anisotropic) keeps edges; squared (((∂x)²+(∂y)²)^1.25) smooths more evenly.' },
  network: { label: 'Network', help: 'The VGG network whose layers measure content and style: VGG19 (Gatys et al.) or VGG16 (Chollet’s Keras notebook).' },
  pooling: { label: 'Pooling', help: 'Pooling inside VGG19: average gives smoother results (the paper’s preference), max crisper.' },
  styleScale: { label: 'Style scale', help: 'How large the painting is seen beside the picture: above 1 gives finer brushwork, below 1 larger strokes.' },
  colourTransfer: { label: 'Colours', help: 'Painting: the painting’s palette. Luminance: paint light and dark only, keep the photo’s colours. Matched: the painting recoloured to the photo’s palette first.' },
  lossNormalization: { label: 'Weight units', help: 'Relative: each loss term measured against its target, so one style weight holds for every painting. Paper: the units of settings saved before version 2.' },
  keepColors: { label: 'Keep colours', help: 'Keep the photo’s colours: the result’s luminance with the photo’s chroma.' },
  progressEvery: { label: 'Preview every', help: 'Iterations between progress updates and preview pictures.' },
};

export const MODE_LABELS = { transfer: 'Transfer', content: 'Content', texture: 'Texture' } as const;
/** Short enough for one line of the segmented control at 1024 px; the titles say them in full. */
export const OPTIMIZER_LABELS = { lbfgs: 'L-BFGS', adam: 'Adam', gd: 'Gradient' } as const;
export const OPTIMIZER_TITLES = {
  lbfgs: 'Limited-memory BFGS, a quasi-Newton method',
  adam: 'Adam, adaptive moment estimation',
  gd: 'Gradient descent, each step the learning rate in pixel units',
} as const;
export const INIT_LABELS = { '': 'Automatic', content: 'Content photo', noise: 'Noise', style: 'Style image', image: 'Starting picture' } as const;
export const COLOUR_TRANSFER_LABELS = { none: 'Painting', luminance: 'Luminance', match: 'Matched' } as const;
export const SCHEDULE_LABELS = { standard: 'Standard', finest: 'Finest' } as const;
export const TV_KIND_LABELS = { l1: 'L1', squared: 'Squared' } as const;
export const POOLING_LABELS = { avg: 'Average', max: 'Max' } as const;
export const NETWORK_LABELS = { vgg19: 'VGG19', vgg16: 'VGG16' } as const;
