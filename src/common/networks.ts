/**
 * The VGG networks the Gatys engine can use, and their convolution layers in the paper's naming, in
 * network order: the one table that settings, manifests, the loader and the engine all check against.
 */
export const VGG19_LAYERS = [
  'conv1_1', 'conv1_2',
  'conv2_1', 'conv2_2',
  'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4',
  'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4',
  'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4',
] as const;
/** A layer name of either network: VGG16's are a subset of VGG19's. */
export type VggLayer = (typeof VGG19_LAYERS)[number];

/** Simonyan & Zisserman (2014), configuration D: three convolutions in blocks 3 to 5 instead of four. */
export const VGG16_LAYERS = [
  'conv1_1', 'conv1_2',
  'conv2_1', 'conv2_2',
  'conv3_1', 'conv3_2', 'conv3_3',
  'conv4_1', 'conv4_2', 'conv4_3',
  'conv5_1', 'conv5_2', 'conv5_3',
] as const satisfies readonly VggLayer[];

export const VGG_NETWORKS = ['vgg19', 'vgg16'] as const;
export type VggNetwork = (typeof VGG_NETWORKS)[number];

export const NETWORK_LAYERS: Record<VggNetwork, readonly VggLayer[]> = { vgg19: VGG19_LAYERS, vgg16: VGG16_LAYERS };
export const NETWORK_TITLES: Record<VggNetwork, string> = { vgg19: 'VGG19', vgg16: 'VGG16' };

/** The layers after which the network halves the resolution: the last of each of blocks 1 to 4. */
export function poolAfter(network: VggNetwork): Set<VggLayer> {
  const layers = NETWORK_LAYERS[network];
  return new Set(layers.filter((layer, i) => Number(layer[4]) < 5 && layers[i + 1]?.[4] !== layer[4]));
}

/** "conv1_1 … conv5_4": the range a person can choose from, for messages. */
export function layerRange(network: VggNetwork): string {
  const layers = NETWORK_LAYERS[network];
  return `${layers[0]} … ${layers.at(-1)}`;
}
