import type { Preset } from '../../../common/contract/index.js';

type Settings = Preset['settings'];

/**
 * Every built-in sets the same keys (the "look": losses, layers, network, start, optimizer) and leaves
 * size, schedule, seed and colours to the pair, so applying one after another never leaves a trace of
 * the first. These are our calibrated defaults, spelled out so a later change of defaults does not
 * change a preset.
 */
const BALANCED: Settings = {
  mode: 'transfer',
  optimizer: 'lbfgs',
  init: 'content',
  contentLayers: ['conv4_2'],
  styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
  styleLayerWeights: [1, 1, 1, 1, 1],
  pooling: 'avg',
  contentWeight: 1,
  styleWeight: 1e-3,
  tvWeight: 5,
  tvKind: 'l1',
};

const look = (changes: Settings): Settings => structuredClone({ ...BALANCED, ...changes });

export const BUILT_IN_PRESETS: readonly Preset[] = [
  {
    id: 'builtin-gatys-2015',
    name: 'Gatys 2015',
    description: 'The paper’s recipe: content from conv4_2, five equally weighted style layers, average pooling, L-BFGS from white noise, no smoothing term.',
    builtIn: true,
    // Gatys, Ecker & Bethge (2015): average pooling ("improves the gradient flow"), synthesis from white
    // noise, no total variation term. The 2015 text says only gradient descent; the authors' CVPR 2016
    // version uses L-BFGS. Its α/β = 1e-3 multiplies an unnormalized ½Σ(F−P)²; our
    // content loss is divided by the N·M feature values (≈ 2.1 M at conv4_2 for 512 px), so the same
    // balance here is β/α = 1e3 / 2.1e6 ≈ 5e-4. The style loss is normalized as in the paper.
    settings: look({ init: 'noise', styleWeight: 5e-4, tvWeight: 0 }),
  },
  {
    id: 'builtin-chollet-keras',
    name: 'Chollet notebook',
    description: 'After François Chollet’s Keras notebook: content from block5_conv2 (conv5_2) for a looser hold on the photo, max pooling, squared smoothing; content / style / TV weights 0.8 / 1.0 / 0.1.',
    builtIn: true,
    // The weights 0.8 / 1.0 / 0.1 are read in Atelier's calibrated units (content 1, style 1e-3, TV 5,
    // see settings.ts): the notebook's own numbers belong to differently normalized losses and, carried
    // over literally, leave almost nothing of the photo once L-BFGS converges.
    settings: look({
      contentLayers: ['conv5_2'],
      contentWeight: 0.8,
      styleWeight: 1e-3,
      tvWeight: 0.5,
      tvKind: 'squared',
      pooling: 'max',
    }),
  },
  {
    id: 'builtin-subtle',
    name: 'Subtle',
    description: 'More of the photo: a light coat of the style (a fifth of the default style weight).',
    builtIn: true,
    settings: look({ styleWeight: 2e-4 }),
  },
  {
    id: 'builtin-bold',
    name: 'Bold',
    description: 'The style takes over: five times the default style weight and less smoothing; the photo keeps little more than its layout.',
    builtIn: true,
    settings: look({ styleWeight: 5e-3, tvWeight: 2 }),
  },
  {
    id: 'builtin-finest',
    name: 'Finest',
    description: 'Closest to jcjohnson/neural-style’s results: max pooling, five equally weighted style layers, style weight 5e-4, from the photo. Give it a longer last stage: --iterations 150,100,100 at 512 px (about 3 minutes on onnx, 2 cores) matched the reference’s style and content distances more closely than the default 150,100,30.',
    builtIn: true,
    // Today's defaults, spelled out so that a later change of defaults does not move this preset. A
    // preset holds no schedule (it follows the pair's size), so the longer run is advice in the text.
    // Weighting the style layers 64:16:4:1:1 as neural-style's Gram normalization does measured worse on
    // tubingen × the_scream (style 1.7× the reference's), so the layers stay equal.
    settings: look({ pooling: 'max', styleWeight: 5e-4 }),
  },
  {
    id: 'builtin-texture-only',
    name: 'Texture only',
    description: 'No photo: paints the style’s texture from noise (Gatys et al.’s texture synthesis, style loss only).',
    builtIn: true,
    settings: look({ mode: 'texture', init: 'noise' }),
  },
];
