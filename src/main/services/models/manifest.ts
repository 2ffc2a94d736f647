import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VGG19_LAYERS, layerName } from '../../../common/settings.js';

export const NETWORKS = ['vgg19', 'fast-style'] as const;
export type Network = (typeof NETWORKS)[number];

const dimension = z.number().int().positive();

/** A plain file name: manifests and receipts never get to point outside their folder. */
export const fileEntry = z.object({
  path: z.string().regex(/^[\w][\w.-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type FileEntry = z.infer<typeof fileEntry>;

const convLayerSpec = z
  .object({
    name: z.enum(VGG19_LAYERS),
    kerasName: z.string(),
    kernelShape: z.tuple([dimension, dimension, dimension, dimension]),
    biasShape: z.tuple([dimension]),
  })
  .refine((layer) => layerName.safeParse(layer.kerasName).data === layer.name, {
    error: (issue) => `Keras name does not match the paper name in ${JSON.stringify(issue.input)}`,
  })
  .refine((layer) => layer.biasShape[0] === layer.kernelShape[3], {
    error: "bias length must equal the kernel's output channels",
  });
/** One convolution layer: paper name, Keras name, kernel [h, w, in, out] and bias [out]. */
export type ConvLayerSpec = z.infer<typeof convLayerSpec>;

const layerSize = (layer: ConvLayerSpec) => layer.kernelShape.reduce((a, b) => a * b) + layer.biasShape[0];

const vgg19Manifest = z
  .object({
    network: z.literal('vgg19'),
    parameters: z.number().int().positive(),
    layers: z.array(convLayerSpec).refine((layers) => layers.map((layer) => layer.name).join() === VGG19_LAYERS.join(), {
      error: 'layers must be conv1_1 … conv5_4, in network order',
    }),
    files: z.array(fileEntry).nonempty(),
    source: z.object({
      file: z.string(),
      url: z.url(),
      hash: z.object({ algorithm: z.enum(['md5', 'sha256']), value: z.string().regex(/^[0-9a-f]+$/) }),
    }),
  })
  .refine((manifest) => manifest.layers.reduce((sum, layer) => sum + layerSize(layer), 0) === manifest.parameters, {
    error: 'the layer shapes do not add up to `parameters`',
  });
export type Vgg19Manifest = z.infer<typeof vgg19Manifest>;

const fastStyleManifest = z.object({
  network: z.literal('fast-style'),
  source: z.object({ baseUrl: z.url() }),
  networks: z.array(z.object({ name: z.string().regex(/^[a-z_]+$/), files: z.array(fileEntry).nonempty() })).nonempty(),
});
export type FastStyleManifest = z.infer<typeof fastStyleManifest>;

async function readManifest<T>(manifestsDir: string, network: Network, schema: z.ZodType<T>): Promise<T> {
  const path = join(manifestsDir, network, 'manifest.json');
  const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a valid manifest:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readVgg19Manifest(manifestsDir: string): Promise<Vgg19Manifest> {
  return readManifest(manifestsDir, 'vgg19', vgg19Manifest);
}

export function readFastStyleManifest(manifestsDir: string): Promise<FastStyleManifest> {
  return readManifest(manifestsDir, 'fast-style', fastStyleManifest);
}
