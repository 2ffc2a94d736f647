import type { Executor, NetworkImage, PreparedStage } from './executor.js';
import { computeTargets, disposeTargets, evaluate } from './objective.js';
import * as tf from './tf.js';
import type { Vgg19 } from './vgg19.js';

/** The objective on TensorFlow.js's autodiff, with whichever tfjs backend is active. */
export function tfjsExecutor(vgg: Vgg19): Executor {
  return {
    kind: 'tfjs',
    async prepare({ plan, stage, content, styles }): Promise<PreparedStage> {
      const toTensor = (image: NetworkImage) => tf.tensor4d(image.data, [1, image.height, image.width, 3]);
      const sources = { content: content && toTensor(content), styles: styles.map(toTensor) };
      let targets: ReturnType<typeof computeTargets>;
      try {
        targets = computeTargets(vgg, plan, sources.content, sources.styles);
      } finally {
        tf.dispose([sources.content, ...sources.styles].filter((t): t is tf.Tensor4D => t !== undefined));
      }
      return {
        async evaluate(image) {
          const x = tf.tensor4d(image, [1, stage.height, stage.width, 3]);
          try {
            const { grad, terms } = evaluate(vgg, plan, targets, x);
            const values = (await grad.data()) as Float32Array;
            grad.dispose();
            return { terms, grad: values };
          } finally {
            x.dispose();
          }
        },
        dispose: () => disposeTargets(targets),
      };
    },
  };
}
