import type { RgbImage } from '../../common/progress.js';
import type { Executor, NetworkImage } from './executor.js';
import { imageToTensor, resizeTensor, toNetworkSpace } from './image-tensor.js';
import { fitLongSide } from './sizes.js';
import { planRender } from './plan.js';
import * as tf from './tf.js';
import type { Pooling } from './vgg19.js';

/** How far a result is from its photo and its painting, on a fixed measure independent of render settings. */
export interface Distances {
  /** Σ over conv1_1…conv5_1 of E_l = 1/(4N²M²) Σ (G − A)² (Gatys et al. eq. 4), times 1/5 each. */
  style: number;
  /** ½ mean((F − P)²) of conv4_2 features (eq. 1 per value). */
  content: number;
}

export interface DistanceOptions {
  /** VGG19's pooling for the measure: 'max', as our loss is usually computed, or 'avg', which it is not. */
  pooling?: Pooling;
  /** Blend weights of the style images (normalized), as in a render. */
  styleBlend?: number[];
  /** The style images' long side as a multiple of the picture's (neural-style's -style_scale). */
  styleScale?: number;
}

/**
 * Measures a picture against a photo and its style images with the executor's network, always with the
 * paper's normalization, so that two pictures of the same pair, ours and a reference, can be compared.
 * The photo is scaled to the picture's size and each style image to its long side (times `styleScale`).
 */
export async function styleContentDistances(executor: Executor, picture: RgbImage, photo: RgbImage, styles: RgbImage | RgbImage[], options: DistanceOptions = {}): Promise<Distances> {
  const styleImages = Array.isArray(styles) ? styles : [styles];
  const size = Math.max(picture.width, picture.height);
  const plan = planRender(
    {
      size, scales: [size], iterations: 0, pooling: options.pooling ?? 'max', lossNormalization: 'paper',
      contentWeight: 1, styleWeight: 1, tvWeight: 0, contentLayers: ['conv4_2'], styleLayers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
      ...(options.styleBlend && { styleBlend: options.styleBlend }),
    },
    { content: picture, styles: styleImages },
  );
  const stage = plan.stages[0]!;
  const toNetwork = (image: RgbImage, width: number, height: number): NetworkImage => {
    const tensor = tf.tidy(() => toNetworkSpace(resizeTensor(imageToTensor(image), height, width)));
    const data = Float32Array.from(tensor.dataSync());
    tensor.dispose();
    return { data, width, height };
  };
  const styleSide = Math.round(size * (options.styleScale ?? 1));
  const prepared = await executor.prepare({
    plan, stage: { ...stage, width: picture.width, height: picture.height },
    content: toNetwork(photo, picture.width, picture.height),
    styles: styleImages.map((style) => {
      const fit = fitLongSide(style.width, style.height, styleSide);
      return toNetwork(style, fit.width, fit.height);
    }),
  });
  try {
    const { terms } = await prepared.evaluate(toNetwork(picture, picture.width, picture.height).data);
    return { style: terms.style, content: terms.content };
  } finally {
    prepared.dispose();
  }
}
