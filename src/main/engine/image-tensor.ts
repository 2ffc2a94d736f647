import type { RgbImage } from '../../common/progress.js';
import * as tf from './tf.js';
import { BGR_MEAN } from './vgg19.js';

/** Network space: BGR channel order, 0…255 minus the ImageNet channel means (the VGG weights' convention). */
export function toNetworkSpace(rgb: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.reverse(rgb, 3), tf.tensor1d([...BGR_MEAN])));
}

export function fromNetworkSpace(bgr: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.reverse(tf.add(bgr, tf.tensor1d([...BGR_MEAN])), 3) as tf.Tensor4D);
}

/** An RGB image as a float tensor [1, H, W, 3] in 0…255. */
export function imageToTensor(image: RgbImage): tf.Tensor4D {
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(`image data has ${image.data.length} bytes; ${image.width}×${image.height} RGB needs ${image.width * image.height * 3}`);
  }
  return tf.tidy(() => tf.cast(tf.tensor4d(image.data, [1, image.height, image.width, 3], 'int32'), 'float32'));
}

/** Rounds and clips a [1, H, W, 3] 0…255 tensor into an RGB image. */
export function tensorToImage(rgb: tf.Tensor4D): RgbImage {
  const [, height, width] = rgb.shape;
  const values = tf.tidy(() => tf.clipByValue(tf.round(rgb), 0, 255));
  const data = Uint8Array.from(values.dataSync());
  values.dispose();
  return { width, height, data };
}

/**
 * Resizes [1, H, W, C] to the given size. Halves with 2×2 averaging while the image is more than
 * twice too big, then interpolates bilinearly: plain bilinear downscaling by large factors aliases.
 */
export function resizeTensor(image: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    let x = image;
    while (x.shape[1] >= 2 * height && x.shape[2] >= 2 * width) x = tf.avgPool(x, 2, 2, 'valid');
    if (x.shape[1] === height && x.shape[2] === width) return x === image ? tf.clone(x) : x;
    return tf.image.resizeBilinear(x, [height, width], false, true);
  });
}

// ITU-R BT.601 luma and chroma; any luma/chroma split works, this one is the common JPEG choice.
const RGB_TO_YUV = [
  [0.299, -0.14713, 0.615],
  [0.587, -0.28886, -0.51499],
  [0.114, 0.436, -0.10001],
];
const YUV_TO_RGB = [
  [1, 1, 1],
  [0, -0.39465, 2.03211],
  [1.13983, -0.5806, 0],
];

function mixChannels(image: tf.Tensor4D, matrix: number[][]): tf.Tensor4D {
  const [, h, w] = image.shape;
  return tf.reshape(tf.matMul(tf.reshape(image, [h * w, 3]), tf.tensor2d(matrix)), [1, h, w, 3]);
}

/**
 * Keeps the luminance of `result` and the colour of `content` (both RGB 0…255, same size): the
 * "luminance-only transfer" of Gatys et al. (2016, "Preserving color in neural artistic style transfer").
 */
export function keepContentColors(result: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const luma = tf.slice(mixChannels(result, RGB_TO_YUV), [0, 0, 0, 0], [-1, -1, -1, 1]);
    const chroma = tf.slice(mixChannels(content, RGB_TO_YUV), [0, 0, 0, 1], [-1, -1, -1, 2]);
    return mixChannels(tf.concat([luma, chroma], 3), YUV_TO_RGB);
  });
}
