/**
 * Layers Keras has and tfjs-layers lacks, as tfjs layer classes so models with them build, train, save
 * and load: Subtract, ReLU with a negative slope or threshold (tfjs' ReLU only caps) and ELU with an
 * alpha other than 1 (tfjs' ELU refuses it), Softmax over another axis than the last (tfjs' softmax
 * refuses it), and Resizing (tfjs-layers 4.22's reports its output shape
 * without the batch axis, so the layer after it is built with wrong sizes), and the augmentation layers
 * RandomFlip and RandomContrast (random in training, identity at inference). Each class is
 * defined once per tfjs namespace (the engine receives it, it does not import it) and registered with
 * tfjs' serialization, so `model.save` and `modelFromJSON` know its class name.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { perNamespace } from './perNamespace';

type Tf = typeof tfjs;
type Layer = tfjs.layers.Layer;
type Tensor = tfjs.Tensor;
type ShapeOf = (number | null)[];

export interface ReluArgs {
  name: string;
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

export interface ResizingArgs {
  name: string;
  height: number;
  width: number;
  interpolation: 'bilinear' | 'nearest';
  cropToAspectRatio: boolean;
}

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export interface CustomLayers {
  /** Keras' ReLU: x above the threshold (capped at maxValue), negativeSlope·(x − threshold) below. */
  relu(args: ReluArgs): Layer;
  /** Keras' ELU: x above 0, alpha·(eˣ − 1) below. */
  elu(args: { name: string; alpha: number }): Layer;
  /** Softmax over `axis` (counted with the batch, as Keras), for an axis other than the last. */
  softmax(args: { name: string; axis: number }): Layer;
  /** Keras' Resizing (half-pixel centres, as tf.image.resize), optionally centre-cropped to the aspect ratio first. */
  resizing(args: ResizingArgs): Layer;
  /** Keras' RandomFlip: in training each image is flipped with probability 1/2 per direction; identity otherwise. */
  randomFlip(args: { name: string; mode: FlipMode }): Layer;
  /** Keras' RandomContrast: in training (x − mean)·c + mean per image and channel, c in [1 − factor, 1 + factor]. */
  randomContrast(args: { name: string; factor: number }): Layer;
  /** Keras' Subtract: the first input minus the second (shapes broadcast as in Keras' merges). */
  subtract(args: { name: string }): Layer;
}

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

/** Keras' merge rule: equal sizes, or 1 against n (n wins). */
function broadcastShapes(a: ShapeOf, b: ShapeOf): ShapeOf {
  return a.map((x, i) => {
    const y = b[i] ?? null;
    if (x === null || y === null) return x ?? y;
    return x === 1 ? y : x;
  });
}

function define(tf: Tf): CustomLayers {
  class KerasReLU extends tf.layers.Layer {
    static className = 'CnnStudioReLU';
    readonly maxValue: number | null;
    readonly negativeSlope: number;
    readonly threshold: number;
    constructor(args: ReluArgs & { maxValue?: number | null }) {
      super({ name: args.name });
      this.maxValue = args.maxValue ?? null;
      this.negativeSlope = args.negativeSlope ?? 0;
      this.threshold = args.threshold ?? 0;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const below = x.sub(this.threshold).mul(this.negativeSlope);
        // the mask (1 where x >= threshold) comes from step, whose gradient is zero: a comparison op
        // (greaterEqual) has no gradient in tfjs, so training through a where() on it fails
        const keep = tf.scalar(1).sub(tf.step(tf.scalar(this.threshold).sub(x)));
        const y = keep.mul(x).add(tf.scalar(1).sub(keep).mul(below));
        return this.maxValue === null ? y : tf.minimum(y, this.maxValue);
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
    }
  }
  class KerasELU extends tf.layers.Layer {
    static className = 'CnnStudioELU';
    readonly alpha: number;
    constructor(args: { name: string; alpha?: number }) {
      super({ name: args.name });
      this.alpha = args.alpha ?? 1;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        // step's mask, not a comparison (no gradient in tfjs); expm1 of min(x, 0) stays finite for large x
        const keep = tf.step(x);
        const negative = tf.expm1(tf.minimum(x, 0)).mul(this.alpha);
        return keep.mul(x).add(tf.scalar(1).sub(keep).mul(negative));
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), alpha: this.alpha };
    }
  }
  class AxisSoftmax extends tf.layers.Layer {
    static className = 'CnnStudioSoftmax';
    readonly axis: number;
    constructor(args: { name: string; axis?: number }) {
      super({ name: args.name });
      this.axis = args.axis ?? -1;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        const shifted = x.sub(x.max(this.axis, true));
        const e = shifted.exp();
        return e.div(e.sum(this.axis, true));
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), axis: this.axis };
    }
  }
  class KerasResizing extends tf.layers.Layer {
    // Registered under Keras' name: it replaces tfjs' own class when a model is loaded.
    static className = 'Resizing';
    readonly height: number;
    readonly width: number;
    readonly interpolation: 'bilinear' | 'nearest';
    readonly cropToAspectRatio: boolean;
    constructor(args: Partial<ResizingArgs> & { height: number; width: number }) {
      super({ ...(args.name === undefined ? {} : { name: args.name }) });
      this.height = args.height;
      this.width = args.width;
      this.interpolation = args.interpolation ?? 'bilinear';
      this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    }
    override computeOutputShape(inputShape: ShapeOf | ShapeOf[]): ShapeOf {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as ShapeOf;
      return [shape[0] ?? null, this.height, this.width, shape[3] ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        let x = one(inputs) as tfjs.Tensor4D;
        if (this.cropToAspectRatio) {
          // Keras' smart_resize: the largest centred crop with the output's aspect ratio.
          const [, h, w] = x.shape;
          const ch = Math.min(h, Math.floor((w * this.height) / this.width));
          const cw = Math.min(w, Math.floor((h * this.width) / this.height));
          x = tf.slice(x, [0, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), 0], [-1, ch, cw, -1]);
        }
        const size: [number, number] = [this.height, this.width];
        return this.interpolation === 'nearest' ? tf.image.resizeNearestNeighbor(x, size, false, true) : tf.image.resizeBilinear(x, size, false, true);
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
    }
  }
  const isTraining = (kwargs: tfjs.serialization.ConfigDict | undefined): boolean => kwargs?.['training'] === true;
  class RandomFlip extends tf.layers.Layer {
    static className = 'RandomFlip';
    readonly mode: FlipMode;
    constructor(args: { name: string; mode?: FlipMode }) {
      super({ name: args.name });
      this.mode = args.mode ?? 'horizontal_and_vertical';
    }
    override call(inputs: Tensor | Tensor[], kwargs?: tfjs.serialization.ConfigDict): Tensor {
      return tf.tidy(() => {
        let x = one(inputs);
        if (!isTraining(kwargs)) return x.clone();
        const flip = (axis: number): void => {
          const coin = tf.randomUniform([x.shape[0]!, 1, 1, 1]).less(0.5);
          x = tf.where(coin.broadcastTo(x.shape), tf.reverse(x, axis), x);
        };
        if (this.mode !== 'vertical') flip(2);
        if (this.mode !== 'horizontal') flip(1);
        return x;
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), mode: this.mode };
    }
  }
  class RandomContrast extends tf.layers.Layer {
    static className = 'RandomContrast';
    readonly factor: number;
    constructor(args: { name: string; factor?: number }) {
      super({ name: args.name });
      this.factor = args.factor ?? 0;
    }
    override call(inputs: Tensor | Tensor[], kwargs?: tfjs.serialization.ConfigDict): Tensor {
      return tf.tidy(() => {
        const x = one(inputs);
        if (!isTraining(kwargs)) return x.clone();
        const mean = x.mean([1, 2], true);
        const c = tf.randomUniform([x.shape[0]!, 1, 1, 1], 1 - this.factor, 1 + this.factor);
        return x.sub(mean).mul(c).add(mean);
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), factor: this.factor };
    }
  }
  class Subtract extends tf.layers.Layer {
    static className = 'Subtract';
    override computeOutputShape(inputShape: ShapeOf | ShapeOf[]): ShapeOf {
      const shapes = inputShape as ShapeOf[];
      return broadcastShapes(shapes[0]!, shapes[1]!);
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [a, b] = inputs as Tensor[];
        return tf.sub(a!, b!);
      });
    }
  }
  tf.serialization.registerClass(KerasReLU);
  tf.serialization.registerClass(KerasELU);
  tf.serialization.registerClass(Subtract);
  tf.serialization.registerClass(KerasResizing);
  tf.serialization.registerClass(AxisSoftmax);
  tf.serialization.registerClass(RandomFlip);
  tf.serialization.registerClass(RandomContrast);
  return {
    randomFlip: (args) => new RandomFlip(args),
    randomContrast: (args) => new RandomContrast(args),
    softmax: (args) => new AxisSoftmax(args),
    resizing: (args) => new KerasResizing(args),
    relu: (args) => new KerasReLU(args),
    elu: (args) => new KerasELU(args),
    subtract: (args) => new Subtract(args),
  };
}

/** The custom layer classes for this tfjs namespace (defined and registered on first use). */
export const customLayers: (tf: Tf) => CustomLayers = perNamespace(define);
