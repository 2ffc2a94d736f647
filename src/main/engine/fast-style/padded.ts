import type { RgbImage } from '../../../common/progress.js';
import { imageToTensor, tensorToImage } from '../image-tensor.js';
import * as tf from '../tf.js';
import { SIZE_MULTIPLE } from './architecture.js';

/**
 * What every executor shares around its forward pass: the picture is padded to whole multiples of
 * SIZE_MULTIPLE with mirrored edges (which keeps them free of a dark border), painted by `forward`
 * ([1, H, W, 3] RGB 0…255 in and out), cropped back and rounded. `forward` must not dispose its input.
 */
export async function paintPadded(image: RgbImage, forward: (padded: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>): Promise<RgbImage> {
  const { width, height } = image;
  if (Math.min(width, height) < SIZE_MULTIPLE) throw new Error(`a ${width}×${height} picture is too small to stylize`);
  const padH = (SIZE_MULTIPLE - (height % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
  const padW = (SIZE_MULTIPLE - (width % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
  const padded = tf.tidy(() => tf.mirrorPad(imageToTensor(image), [[0, 0], [0, padH], [0, padW], [0, 0]], 'symmetric'));
  let painted: tf.Tensor4D;
  try {
    painted = await forward(padded);
  } finally {
    padded.dispose();
  }
  const cropped = tf.tidy(() => tf.slice(painted, [0, 0, 0, 0], [1, height, width, 3]));
  painted.dispose();
  try {
    return tensorToImage(cropped);
  } finally {
    cropped.dispose();
  }
}
