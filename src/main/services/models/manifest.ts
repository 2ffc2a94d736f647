import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NETWORK_LAYERS, VGG19_LAYERS, type VggNetwork } from '../../../common/networks.js';
import { layerName } from '../../../common/settings.js';

export const NETWORKS = ['vgg19', 'fast-style', 'vgg16'] as const;
export type Network = (typeof NETWORKS)[number];
/** What `models install` installs unless told: VGG16 is optional and only comes as a 59 MB download. */
export const DEFAULT_NETWORKS = ['vgg19', 'fast-style'] as const satisfies readonly Network[];

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

const vggManifest = (network: VggNetwork) => z
  .object({
    network: z.literal(network),
    parameters: z.number().int().positive(),
    layers: z.array(convLayerSpec).refine((layers) => layers.map((layer) => layer.name).join() === NETWORK_LAYERS[network].join(), {
      error: `layers must be ${NETWORK_LAYERS[network].join(', ')}, in network order`,
    }),
    /** The files of a ready-made copy (shared/models); empty when the network only comes converted from Keras. */
    files: z.array(fileEntry),
    source: z.object({
      file: z.string().regex(/^[\w][\w.-]*$/),
      url: z.url(),
      hash: z.object({ algorithm: z.enum(['md5', 'sha256']), value: z.string().regex(/^[0-9a-f]+$/) }),
    }),
  })
  .refine((manifest) => manifest.layers.reduce((sum, layer) => sum + layerSize(layer), 0) === manifest.parameters, {
    error: 'the layer shapes do not add up to `parameters`',
  });
export type VggManifest = z.infer<ReturnType<typeof vggManifest>>;

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

export function readVggManifest(manifestsDir: string, network: VggNetwork): Promise<VggManifest> {
  return readManifest(manifestsDir, network, vggManifest(network));
}

export function readFastStyleManifest(manifestsDir: string): Promise<FastStyleManifest> {
  return readManifest(manifestsDir, 'fast-style', fastStyleManifest);
}
