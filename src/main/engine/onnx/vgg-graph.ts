import { AtelierError } from '../../../common/errors.js';
import { NETWORK_LAYERS, poolAfter, type VggNetwork } from '../../../common/networks.js';
import type { VggLayer } from '../../../common/settings.js';
import type { RenderPlan } from '../plan.js';
import type { ConvWeights, Pooling, VggWeights } from '../vgg19.js';
import { GraphBuilder } from './graph-builder.js';

/*
 * The style-transfer objective as ONNX graphs. ONNX Runtime has no autodiff in Node, so the backward
 * pass is written out as nodes, following what measured fastest on ORT's CPU kernels:
 * - a convolution's gradient to its input is a convolution with the kernel turned 180° and its
 *   channels swapped (faster than ConvTranspose), and constant scales are folded into those kernels;
 * - between convolutions only ops that ORT runs in its blocked channel layout (same-shape Add and Mul,
 *   HardSigmoid, depthwise Conv, MaxPool without indices, nearest Resize): any other op (Sign,
 *   Where, Sub, broadcasts, a scatter) costs a layout conversion each way, which measured a fifth of
 *   an iteration;
 * - loss sums in float32, one axis at a time (see `sum`): GPU providers have no float64 kernels;
 * - only ops that ONNX Runtime's GPU providers implement (checked against their published tables in
 *   provider-ops.ts and test/engine/provider-ops.test.ts): no Gemm with a computed B, Abs, Sign, Pad or
 *   ReduceSumSquare, which CoreML's ML Program lacks;
 * - only the loss terms and the gradient leave the graph: every output is copied out.
 * Layout inside is NCHW; images cross the boundary as [1, H, W, 3] like the tfjs executor's.
 */

interface FeatureMap {
  name: string;
  channels: number;
  height: number;
  width: number;
}

interface LayerTrace {
  layer: VggLayer;
  /** Post-ReLU output. */
  output: FeatureMap;
  /** The layer's input size (after the previous pooling, if any). */
  input: FeatureMap;
  /** Set when the layer's input came through a pooling: what the backward pass needs to undo it. */
  pooledFrom?: { map: FeatureMap; maxima?: string };
}

/** Layers and weights shared by the graphs of one render. */
export interface NetworkSpec {
  /** Which layer table to build from (the same one the tfjs Vgg19 uses). */
  network: VggNetwork;
  /** Weights for every layer of that table. */
  weights: VggWeights;
  pooling: Pooling;
}

/** The layers the objective reads, given the plan's weights; the same choice as the tfjs objective's. */
function lossLayers(plan: RenderPlan, hasContent: boolean): { content: VggLayer[]; style: { layer: VggLayer; weight: number }[] } {
  return {
    content: plan.contentWeight > 0 && hasContent ? plan.contentLayers : [],
    style: plan.styleWeight > 0 ? plan.styleLayers : [],
  };
}

class VggGraph {
  readonly g = new GraphBuilder();
  private readonly forwardKernels = new Map<VggLayer, { kernel: string; bias: string }>();
  private readonly layers: readonly VggLayer[];
  private readonly poolAfter: Set<VggLayer>;

  constructor(private readonly network: NetworkSpec) {
    this.layers = NETWORK_LAYERS[network.network];
    this.poolAfter = poolAfter(network.network);
  }

  /** The deepest of `layers` in this network's order; a layer the network lacks is refused. */
  deepestOf(layers: VggLayer[]): VggLayer | undefined {
    const missing = layers.find((layer) => !this.layers.includes(layer));
    if (missing) throw new Error(`${this.network.network} has no layer ${missing}`);
    if (layers.length === 0) return undefined;
    return this.layers[Math.max(...layers.map((l) => this.layers.indexOf(l)))];
  }

  weights(layer: VggLayer): ConvWeights {
    const weights = this.network.weights[layer];
    if (!weights) throw new Error(`no weights for ${this.network.network} layer ${layer}`);
    return weights;
  }

  /** Runs an NCHW image through the network up to `deepest`, keeping what the backward pass needs. */
  forward(image: FeatureMap, deepest: VggLayer): LayerTrace[] {
    const traces: LayerTrace[] = [];
    let x = image;
    let pooledFrom: LayerTrace['pooledFrom'];
    for (const layer of this.layers.slice(0, this.layers.indexOf(deepest) + 1)) {
      const { kernel, bias } = this.kernels(layer);
      const channels = this.weights(layer).kernelShape[3];
      const conv = this.g.op('Conv', [x.name, kernel, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
      const output = { name: this.g.op('Relu', [conv]), channels, height: x.height, width: x.width };
      traces.push({ layer, output, input: x, ...(pooledFrom && { pooledFrom }) });
      pooledFrom = undefined;
      x = output;
      if (this.poolAfter.has(layer) && layer !== deepest) {
        const pooledSize = { channels, height: Math.floor(x.height / 2), width: Math.floor(x.width / 2) };
        if (pooledSize.height === 0 || pooledSize.width === 0) {
          throw new AtelierError('BAD_SETTINGS', `a ${image.width}×${image.height} stage is too small to reach ${deepest}: the image shrinks to nothing after ${layer}'s pooling; use larger scales or shallower layers`);
        }
        const window = { kernel_shape: [2, 2], strides: [2, 2] };
        if (this.network.pooling === 'max') {
          const pooled = this.g.op('MaxPool', [x.name], window);
          pooledFrom = { map: x, maxima: pooled };
          x = { name: pooled, ...pooledSize };
        } else {
          pooledFrom = { map: x };
          x = { name: this.g.op('AveragePool', [x.name], window), ...pooledSize };
        }
      }
    }
    return traces;
  }

  /** Gram matrix over positions, divided by their number: [C, C]. MatMul, not Gemm: CoreML takes Gemm only with a constant B. */
  gram(features: FeatureMap): { gram: string; flat: string } {
    const positions = features.height * features.width;
    const flat = this.g.op('Reshape', [features.name, this.g.ints([features.channels, positions])]);
    const product = this.g.op('MatMul', [flat, this.g.op('Transpose', [flat], { perm: [1, 0] })]);
    return { gram: this.g.op('Mul', [product, this.g.scalar(1 / positions)]), flat };
  }

  nhwcToNchw(name: string, height: number, width: number): FeatureMap {
    return { name: this.g.op('Transpose', [name], { perm: [0, 3, 1, 2] }), channels: 3, height, width };
  }

  /** Σ x² of a `shape` tensor, times `scale`, as a [1] tensor (see `sum`). */
  sumOfSquares(value: string, shape: number[], scale: number): string {
    return this.sum(this.g.op('Mul', [value, value]), shape, scale);
  }

  /**
   * Σ x of a `shape` tensor, times `scale`, as a [1] float32 tensor. One axis at a time, the last first:
   * each partial sum adds one side's worth of terms, not the whole map's, so rounding grows with a
   * side (≤ 4096) instead of the element count (up to 10⁹). A single float32 reduction over a 512 px
   * map was off by ~2e-5 relative; this stays within 1e-5 of the float64 sum (test/engine/float32-sums.test.ts).
   */
  sum(value: string, shape: number[], scale: number): string {
    let x = value;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (shape[axis]! > 1) x = this.g.op('ReduceSum', [x, this.g.ints([axis])], { keepdims: 1 });
    }
    return this.g.op('Reshape', [this.g.op('Mul', [x, this.g.scalar(scale)]), this.g.ints([1])]);
  }

  addAll(values: string[]): string | undefined {
    return values.reduce<string | undefined>((sum, v) => (sum ? this.g.op('Add', [sum, v]) : v), undefined);
  }

  /**
   * Backpropagates per-layer gradients (with respect to each layer's post-ReLU output) down to the
   * NCHW image.
   */
  backward(traces: LayerTrace[], layerGrads: Map<VggLayer, string>): string {
    let g: string | undefined;
    for (const trace of traces.toReversed()) {
      const gy = this.addAll([g, layerGrads.get(trace.layer)].filter((v): v is string => v !== undefined))!;
      // ReLU: the output is ≥ 0, and its derivative is 1 where the output is > 0.
      const gPre = this.g.op('Mul', [gy, this.step(trace.output.name, 0)]);
      const averaged = trace.pooledFrom && !trace.pooledFrom.maxima;
      const gx = this.g.op('Conv', [gPre, this.backwardKernel(trace.layer, averaged ? 0.25 : 1)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
      g = trace.pooledFrom ? this.unpool(gx, trace.pooledFrom) : gx;
    }
    return g!;
  }

  private unpool(grad: string, { map, maxima }: NonNullable<LayerTrace['pooledFrom']>): string {
    // Average pooling: spread over the 2×2 window (the ¼ is folded into the kernel that produced
    // `grad`); 'valid' pooling dropped an odd last row or column, which gets no gradient.
    const spread = this.spread(grad, map);
    if (!maxima) return spread;
    // Max pooling: only the window's maximum, where map − max = 0, gets the gradient. Pooling's index
    // output and a scatter would leave the blocked layout, as would Sub; this mask stays in it. Equal
    // positive values tying in a window are vanishingly rare; tied zeros are cut by the ReLU mask.
    const atMaximum = this.step(this.g.op('Add', [map.name, this.negate(this.spread(maxima, map), map.channels)]), 1);
    return this.g.op('Mul', [spread, atMaximum]);
  }

  /**
   * −value, as a depthwise 1×1 convolution of weight −1: ORT's CPU kernels run it in the blocked layout
   * (Neg and Sub they do not), and CoreML has it (BatchNormalization, which did the same, it lacks).
   */
  private negate(value: string, channels: number): string {
    const minusOne = this.g.constant(new Float32Array(channels).fill(-1), [channels, 1, 1, 1], 'minus_one');
    return this.g.op('Conv', [value, minusOne], { kernel_shape: [1, 1], group: channels });
  }

  /** Nearest 2× upsampling back to `map`'s size (an odd last row or column gets zeros). */
  private spread(value: string, map: FeatureMap): string {
    const spread = this.g.op('Resize', [value, '', this.g.constant(Float32Array.of(1, 1, 2, 2), [4], 'scales')], {
      mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor',
    });
    const shape = [1, map.channels, 2 * Math.floor(map.height / 2), 2 * Math.floor(map.width / 2)];
    const rows = padWithZeros(this.g, spread, shape, 2, 0, map.height % 2);
    return padWithZeros(this.g, rows.name, rows.shape, 3, 0, map.width % 2).name;
  }

  /**
   * 1 where `value` ≥ 0 (from `offset` 1) or > 0 (from 0), else 0, as max(0, min(1, 10³⁰·value + offset)):
   * HardSigmoid keeps ORT's blocked layout, Sign, Where and comparisons do not.
   */
  private step(value: string, offset: 0 | 1): string {
    return this.g.op('HardSigmoid', [value], { alpha: { float: 1e30 }, beta: { float: offset } });
  }

  private kernels(layer: VggLayer): { kernel: string; bias: string } {
    let names = this.forwardKernels.get(layer);
    if (!names) {
      const { kernel, kernelShape: [kh, kw, cin, cout], bias } = this.weights(layer);
      // HWIO → OIHW.
      const oihw = new Float32Array(kernel.length);
      for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
        oihw[((o * cin + i) * kh + h) * kw + w] = kernel[((h * kw + w) * cin + i) * cout + o]!;
      }
      names = { kernel: this.g.constant(oihw, [cout, cin, kh, kw], `${layer}_w`), bias: this.g.constant(Float32Array.from(bias), [cout], `${layer}_b`) };
      this.forwardKernels.set(layer, names);
    }
    return names;
  }

  /** The kernel of the convolution's input gradient: turned 180°, channels swapped, times `scale`. */
  private backwardKernel(layer: VggLayer, scale: number): string {
    const { kernel, kernelShape: [kh, kw, cin, cout] } = this.weights(layer);
    const flipped = new Float32Array(kernel.length);
    for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
      flipped[((i * cout + o) * kh + h) * kw + w] = scale * kernel[(((kh - 1 - h) * kw + (kw - 1 - w)) * cin + i) * cout + o]!;
    }
    return this.g.constant(flipped, [cin, cout, kh, kw], `${layer}_wT`);
  }
}

export interface ImageSize {
  width: number;
  height: number;
}

/** Shapes of the target tensors: content feature maps [1, C, h, w] and Gram matrices [C, C]. */
export interface TargetShapes {
  content: Map<VggLayer, number[]>;
  grams: Map<VggLayer, number[]>;
}

/**
 * The forward-only graph that computes a stage's targets: inputs `content` and `style0…` ([1, H, W, 3]
 * network space), outputs `content_<layer>` and `gram_<layer>` (the style Gram matrices blended by
 * `plan.styleBlend`; see objective.ts for why blending the matrices is exact).
 */
export function targetsGraph(network: NetworkSpec, plan: RenderPlan, content: ImageSize | undefined, styles: ImageSize[]): { bytes: Uint8Array; shapes: TargetShapes } {
  const v = new VggGraph(network);
  const layers = lossLayers(plan, content !== undefined);
  const shapes: TargetShapes = { content: new Map(), grams: new Map() };
  if (content && layers.content.length > 0) {
    const image = v.nhwcToNchw(v.g.input('content', [1, content.height, content.width, 3]), content.height, content.width);
    const traces = v.forward(image, v.deepestOf(layers.content)!);
    for (const layer of layers.content) {
      const map = traces.find((t) => t.layer === layer)!.output;
      const shape = [1, map.channels, map.height, map.width];
      v.g.output(map.name, `content_${layer}`, shape);
      shapes.content.set(layer, shape);
    }
  }
  if (layers.style.length > 0) {
    const blended = new Map<VggLayer, string>();
    styles.forEach((style, s) => {
      const image = v.nhwcToNchw(v.g.input(`style${s}`, [1, style.height, style.width, 3]), style.height, style.width);
      const traces = v.forward(image, v.deepestOf(layers.style.map((l) => l.layer))!);
      for (const { layer } of layers.style) {
        const weighted = v.g.op('Mul', [v.gram(traces.find((t) => t.layer === layer)!.output).gram, v.g.scalar(plan.styleBlend[s]!)]);
        const sum = blended.get(layer);
        blended.set(layer, sum ? v.g.op('Add', [sum, weighted]) : weighted);
      }
    });
    for (const [layer, name] of blended) {
      const channels = v.weights(layer).kernelShape[3];
      v.g.output(name, `gram_${layer}`, [channels, channels]);
      shapes.grams.set(layer, [channels, channels]);
    }
  }
  return { bytes: v.g.toBytes(), shapes };
}

/**
 * The objective graph of one stage: inputs `image` [1, H, W, 3] and the targets of `targetsGraph`;
 * outputs `terms` ([3]: weighted content, style and TV losses) and `grad` ([1, H, W, 3], the
 * gradient of their sum). Same definitions as losses.ts; `scales` holds each layer's `lossScale`, keyed
 * `content:<layer>` and `style:<layer>`.
 */
export function objectiveGraph(network: NetworkSpec, plan: RenderPlan, size: ImageSize, targets: TargetShapes, scales: ReadonlyMap<string, number>): Uint8Array {
  const v = new VggGraph(network);
  const { g } = v;
  const { height, width } = size;
  const input = g.input('image', [1, height, width, 3]);
  const contentLayers = [...targets.content.keys()];
  const styleLayers = plan.styleLayers.filter(({ layer }) => targets.grams.has(layer));
  const deepest = v.deepestOf([...contentLayers, ...styleLayers.map((s) => s.layer)]);
  const terms: string[] = [];
  const layerGrads = new Map<VggLayer, string[]>();
  const addGrad = (layer: VggLayer, grad: string) => layerGrads.set(layer, [...(layerGrads.get(layer) ?? []), grad]);
  let networkGrad: string | undefined;

  if (deepest) {
    const traces = v.forward(v.nhwcToNchw(input, height, width), deepest);
    const featuresOf = (layer: VggLayer) => traces.find((t) => t.layer === layer)!.output;

    // Content: α · s · Σ (F − P)² per layer; gradient 2 α s (F − P).
    const content = contentLayers.map((layer) => {
      const map = featuresOf(layer);
      const scale = plan.contentWeight * scales.get(`content:${layer}`)!;
      const target = g.input(`content_${layer}`, targets.content.get(layer)!);
      const diff = g.op('Sub', [map.name, target]);
      addGrad(layer, g.op('Mul', [diff, g.scalar(2 * scale)]));
      return v.sumOfSquares(diff, [1, map.channels, map.height, map.width], scale);
    });
    terms.push(v.addAll(content) ?? zero(g));

    // Style: β w_l s Σ (G − A)² per layer (the paper's s = 1/(4N²)); gradient 4 β w_l s (G − A) F / M.
    const style = styleLayers.map(({ layer, weight }) => {
      const map = featuresOf(layer);
      const n = map.channels;
      const m = map.height * map.width;
      const scale = plan.styleWeight * weight * scales.get(`style:${layer}`)!;
      const { gram, flat } = v.gram(map);
      const diff = g.op('Sub', [gram, g.input(`gram_${layer}`, [n, n])]);
      const scaled = g.op('Mul', [diff, g.scalar((4 * scale) / m)]);
      const gradFlat = g.op('MatMul', [scaled, flat]);
      addGrad(layer, g.op('Reshape', [gradFlat, g.ints([1, n, map.height, map.width])]));
      return v.sumOfSquares(diff, [n, n], scale);
    });
    terms.push(v.addAll(style) ?? zero(g));

    const summed = new Map([...layerGrads].map(([layer, grads]) => [layer, v.addAll(grads)!]));
    networkGrad = g.op('Transpose', [v.backward(traces, summed)], { perm: [0, 2, 3, 1] });
  } else {
    terms.push(zero(g), zero(g));
  }

  const tv = plan.tvWeight > 0 && height > 1 && width > 1 ? tvTerm(v, input, plan, size) : undefined;
  terms.push(tv?.loss ?? zero(g));
  const grad = v.addAll([networkGrad, tv?.grad].filter((x): x is string => x !== undefined))
    ?? g.constant(new Float32Array(height * width * 3), [1, height, width, 3], 'zeros');
  g.output(g.op('Concat', terms, { axis: 0 }), 'terms', [3]);
  g.output(grad, 'grad', [1, height, width, 3]);
  return g.toBytes();
}

/** γ · TV of the [1, H, W, 3] image (see losses.ts) and its gradient, written on the image's differences. */
function tvTerm(v: VggGraph, image: string, plan: RenderPlan, { height, width }: ImageSize): { loss: string; grad: string } {
  const { g } = v;
  const slice = (top: number, left: number) => g.op('Slice', [image, g.ints([top, left]), g.ints([top + height - 1, left + width - 1]), g.ints([1, 2])]);
  const corner = slice(0, 0);
  const dy = g.op('Sub', [slice(1, 0), corner]);
  const dx = g.op('Sub', [slice(0, 1), corner]);
  const shape = [1, height - 1, width - 1, 3];
  const k = plan.tvWeight / ((height - 1) * (width - 1) * 3);
  let loss: string;
  let gdx: string;
  let gdy: string;
  if (plan.settings.tvKind === 'l1') {
    // sign(d) as clip(10³⁰·d, −1, 1) and |d| as d·sign(d): CoreML has neither Sign nor Abs. Exact for
    // |d| > 10⁻³⁰, and 0 at 0 like Sign.
    const sign = (d: string) => g.op('Clip', [g.op('Mul', [d, g.scalar(1e30)]), g.scalar(-1), g.scalar(1)]);
    const [sx, sy] = [sign(dx), sign(dy)];
    loss = v.sum(g.op('Add', [g.op('Mul', [dx, sx]), g.op('Mul', [dy, sy])]), shape, k);
    gdx = g.op('Mul', [sx, g.scalar(k)]);
    gdy = g.op('Mul', [sy, g.scalar(k)]);
  } else {
    // ((∂x)² + (∂y)² + ε)^1.25, whose derivative in ∂x is 2.5 (…)^0.25 ∂x.
    const s = g.op('Add', [g.op('Add', [g.op('Mul', [dx, dx]), g.op('Mul', [dy, dy])]), g.scalar(1e-8)]);
    loss = v.sum(g.op('Pow', [s, g.scalar(1.25)]), shape, k);
    const common = g.op('Mul', [g.op('Pow', [s, g.scalar(0.25)]), g.scalar(2.5 * k)]);
    gdx = g.op('Mul', [common, dx]);
    gdy = g.op('Mul', [common, dy]);
  }
  // Each difference pushes its two pixels apart: + at the later pixel, − at the corner one. Each term
  // is padded back to [1, H, W, 3]: a zero row (axis 1) and column (axis 2) before or after.
  const pad = (value: string, rowBefore: number, columnBefore: number) => {
    const rows = padWithZeros(g, value, shape, 1, rowBefore, 1 - rowBefore);
    return padWithZeros(g, rows.name, rows.shape, 2, columnBefore, 1 - columnBefore).name;
  };
  const grad = g.op('Sub', [g.op('Add', [pad(gdx, 0, 1), pad(gdy, 1, 0)]), pad(g.op('Add', [gdx, gdy]), 0, 0)]);
  return { loss, grad };
}

/** A [1] zero, for a loss term the plan leaves out. */
function zero(g: GraphBuilder): string {
  return g.constant(Float32Array.of(0), [1], 'zero');
}

/**
 * `value` (of `shape`) with `before` and `after` rows of zeros on `axis`, by Concat: CoreML's ML Program
 * has no Pad.
 */
function padWithZeros(g: GraphBuilder, value: string, shape: number[], axis: number, before: number, after: number): { name: string; shape: number[] } {
  const zeros = (count: number) => {
    const dims = shape.map((d, i) => (i === axis ? count : d));
    return g.constant(new Float32Array(dims.reduce((a, b) => a * b, 1)), dims, 'zeros');
  };
  const parts = [...(before > 0 ? [zeros(before)] : []), value, ...(after > 0 ? [zeros(after)] : [])];
  return {
    name: parts.length === 1 ? value : g.op('Concat', parts, { axis }),
    shape: shape.map((d, i) => (i === axis ? d + before + after : d)),
  };
}
