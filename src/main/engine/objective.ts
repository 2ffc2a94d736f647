import type { LossTerms } from '../../common/settings.js';
import { contentLoss, lossScale, styleLoss, tvLoss } from './losses.js';
import type { RenderPlan } from './plan.js';
import * as tf from './tf.js';
import type { Pooling, Vgg19 } from './vgg19.js';
import { gramMatrix } from './gram.js';

/** What the loss compares against at one stage size; computed once per stage. */
export interface Targets {
  content: Map<string, tf.Tensor4D>;
  /** Per style layer, the blend of the style images' Gram matrices. */
  styleGrams: Map<string, tf.Tensor2D>;
  /** Per layer, the factor its squared error is multiplied by (`lossScale`). */
  scales: Map<string, number>;
}

/**
 * Computes the targets. Several style images are blended by averaging their Gram matrices with the
 * blend weights: Σ_s b_s‖G − A_s‖² differs from ‖G − Σ_s b_s A_s‖² only by a constant, so both give
 * the same gradient, and the blended form needs one comparison per layer instead of one per style.
 */
export function computeTargets(vgg: Vgg19, plan: RenderPlan, content: tf.Tensor4D | undefined, styles: tf.Tensor4D[]): Targets {
  const pooling = plan.settings.pooling;
  const targets: Targets = { content: new Map(), styleGrams: new Map(), scales: new Map() };
  tf.tidy(() => {
    if (plan.contentWeight > 0 && content) {
      for (const [layer, features] of vgg.features(content, plan.contentLayers, pooling)) targets.content.set(layer, tf.keep(features));
    }
    if (plan.styleWeight > 0) {
      const layers = plan.styleLayers.map((s) => s.layer);
      styles.forEach((style, s) => {
        for (const [layer, features] of vgg.features(style, layers, pooling)) {
          const weighted = tf.mul(gramMatrix(features), plan.styleBlend[s]!) as tf.Tensor2D;
          const sum = targets.styleGrams.get(layer);
          targets.styleGrams.set(layer, tf.keep(sum ? tf.add(sum, weighted) : weighted));
          sum?.dispose();
        }
      });
    }
  });
  // The norms are read once per stage: one small download per layer.
  const normalization = plan.settings.lossNormalization;
  const squaredNorm = (t: tf.Tensor) => tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]!);
  for (const [layer, p] of targets.content) targets.scales.set(`content:${layer}`, lossScale.content(normalization, p.size, normalization === 'paper' ? 0 : squaredNorm(p)));
  for (const [layer, a] of targets.styleGrams) targets.scales.set(`style:${layer}`, lossScale.style(normalization, a.shape[0], normalization === 'paper' ? 0 : squaredNorm(a)));
  return targets;
}

export function disposeTargets(targets: Targets): void {
  tf.dispose([...targets.content.values(), ...targets.styleGrams.values()]);
}

/** Weighted loss terms of an image in network space: α·content, β·style, γ·TV (Gatys et al., eq. 7, plus TV). */
export function lossTerms(vgg: Vgg19, plan: RenderPlan, targets: Targets, image: tf.Tensor4D): Record<keyof LossTerms, tf.Scalar> {
  const pooling: Pooling = plan.settings.pooling;
  const layers = [...targets.content.keys(), ...targets.styleGrams.keys()] as RenderPlan['contentLayers'];
  const features = layers.length > 0 ? vgg.features(image, layers, pooling) : new Map();
  const zero = tf.scalar(0);
  const content = plan.contentLayers
    .filter((layer) => targets.content.has(layer))
    .map((layer) => contentLoss(features.get(layer)!, targets.content.get(layer)!, targets.scales.get(`content:${layer}`)));
  const style = plan.styleLayers
    .filter(({ layer }) => targets.styleGrams.has(layer))
    .map(({ layer, weight }) => tf.mul(weight, styleLoss(features.get(layer)!, targets.styleGrams.get(layer)!, targets.scales.get(`style:${layer}`))) as tf.Scalar);
  const terms = {
    content: tf.mul(plan.contentWeight, content.length ? tf.addN(content) : zero) as tf.Scalar,
    style: tf.mul(plan.styleWeight, style.length ? tf.addN(style) : zero) as tf.Scalar,
    tv: plan.tvWeight > 0 ? (tf.mul(plan.tvWeight, tvLoss(image, plan.settings.tvKind)) as tf.Scalar) : zero,
  };
  return { ...terms, total: tf.addN([terms.content, terms.style, terms.tv]) as tf.Scalar };
}

export interface Evaluated {
  loss: number;
  grad: tf.Tensor;
  terms: LossTerms;
}

/** The loss and its gradient with respect to the image; one forward and one backward pass. */
export function evaluate(vgg: Vgg19, plan: RenderPlan, targets: Targets, image: tf.Tensor): Evaluated {
  let packed: tf.Tensor1D | undefined;
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => {
    const t = lossTerms(vgg, plan, targets, x as tf.Tensor4D);
    packed = tf.keep(tf.stack([t.content, t.style, t.tv, t.total]) as tf.Tensor1D);
    return t.total;
  })(image);
  const [content = 0, style = 0, tv = 0, total = 0] = packed!.dataSync();
  tf.dispose([packed!, value]);
  return { loss: total, grad, terms: { content, style, tv, total } };
}
