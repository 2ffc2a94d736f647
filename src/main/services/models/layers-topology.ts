import type { ConvLayerSpec } from './manifest.js';

const blockOf = (layer: ConvLayerSpec): string => /^block(\d+)_/.exec(layer.kerasName)?.[1] ?? layer.kerasName;

/**
 * A Keras functional topology for the listed convolutions, so a converted folder is a complete
 * tfjs layers model like the shared one: 3x3 'same' convolutions with ReLU, and 2x2 max pooling
 * wherever the block number changes (VGG19 has none after block 5; Simonyan & Zisserman 2014, table 1).
 */
export function layersTopology(layers: readonly ConvLayerSpec[]): object {
  const input = 'input_1';
  const modelLayers: object[] = [
    {
      class_name: 'InputLayer',
      name: input,
      inbound_nodes: [],
      config: { name: input, batch_input_shape: [null, null, null, layers[0]?.kernelShape[2] ?? 3], dtype: 'float32' },
    },
  ];
  let previous = input;
  const append = (class_name: string, name: string, config: object) => {
    const inbound_nodes = [[[previous, 0, 0, {}]]];
    modelLayers.push({ class_name, name, inbound_nodes, config: { name, dtype: 'float32', trainable: true, ...config } });
    previous = name;
  };
  layers.forEach((layer, i) => {
    append('Conv2D', layer.kerasName, {
      filters: layer.kernelShape[3],
      kernel_size: [layer.kernelShape[0], layer.kernelShape[1]],
      strides: [1, 1],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: 'relu',
      use_bias: true,
    });
    const next = layers[i + 1];
    if (next && blockOf(next) !== blockOf(layer)) {
      append('MaxPooling2D', `block${blockOf(layer)}_pool`, {
        pool_size: [2, 2],
        strides: [2, 2],
        padding: 'valid',
        data_format: 'channels_last',
      });
    }
  });
  return {
    backend: 'tensorflow',
    model_config: {
      class_name: 'Model',
      config: { name: 'vgg19_conv', layers: modelLayers, input_layers: [[input, 0, 0]], output_layers: [[previous, 0, 0]] },
    },
  };
}
