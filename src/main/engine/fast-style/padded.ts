import type { RgbImage } from '../../../common/progress.js';
import { imageToTensor, tensorToImage } from '../image-tensor.js';
import * as tf from '../tf.js';
import { RECEPTIVE_RADIUS, SIZE_MULTIPLE } from './architecture.js';

/**
 * The network was trained with zero padding at every layer, which paints a frame (dark, light or
 * coloured bands) as deep as its receptive field reaches in from each edge. A mirrored margin that
 * deep moves the frame onto pixels that are cropped away.
 */
const EDGE_MARGIN = Math.ceil(RECEPTIVE_RADIUS / SIZE_MULTIPLE) * SIZE_MULTIPLE;

/**
 * What every executor shares around its forward pass: the picture gets a mirrored margin of
 * EDGE_MARGIN on every side and is padded to whole multiples of SIZE_MULTIPLE, painted by `forward`
 * ([1, H, W, 3] RGB 0…255 in and out), cropped back and rounded. `forward` must not dispose its input.
 */
export async function paintPadded(image: RgbImage, forward: (padded: tf.Tensor4D) => tf.Tensor4D | Promise<tf.Tensor4D>): Promise<RgbImage> {
  const { width, height } = image;
  if (Math.min(width, height) < SIZE_MULTIPLE) throw new Error(`a ${width}×${height} picture is too small to stylize`);
  // A mirror cannot be deeper than the picture it reflects (the rounding up to SIZE_MULTIPLE included).
  const margin = Math.min(EDGE_MARGIN, Math.max(0, Math.floor((Math.min(width, height) - SIZE_MULTIPLE) / SIZE_MULTIPLE) * SIZE_MULTIPLE));
  const padH = (SIZE_MULTIPLE - (height % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
  const padW = (SIZE_MULTIPLE - (width % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
  const padded = tf.tidy(() => tf.mirrorPad(imageToTensor(image), [[0, 0], [margin, margin + padH], [margin, margin + padW], [0, 0]], 'symmetric'));
  let painted: tf.Tensor4D;
  try {
    painted = await forward(padded);
  } finally {
    padded.dispose();
  }
  const cropped = tf.tidy(() => tf.slice(painted, [0, margin, margin, 0], [1, height, width, 3]));
  painted.dispose();
  try {
    return tensorToImage(cropped);
  } finally {
    cropped.dispose();
  }
}
