/**
 * Layers Keras has and tfjs-layers lacks, as tfjs layer classes so models with them build, train, save
 * and load: Subtract, ReLU with a negative slope or threshold (tfjs' ReLU only caps) and ELU with an
 * alpha other than 1 (tfjs' ELU refuses it). Each class is
 * defined once per tfjs namespace (the engine receives it, it does not import it) and registered with
 * tfjs' serialization, so `model.save` and `modelFromJSON` know its class name.
 */
import type * as tfjs from '@tensorflow/tfjs';

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

export interface CustomLayers {
  /** Keras' ReLU: x above the threshold (capped at maxValue), negativeSlope·(x − threshold) below. */
  relu(args: ReluArgs): Layer;
  /** Keras' ELU: x above 0, alpha·(eˣ − 1) below. */
  elu(args: { name: string; alpha: number }): Layer;
  /** Keras' Subtract: the first input minus the second (shapes broadcast as in Keras' merges). */
  subtract(args: { name: string }): Layer;
}

const defined = new WeakMap<Tf, CustomLayers>();

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
        const y = tf.where(x.greaterEqual(this.threshold), x, below);
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
        return tf.where(x.greater(0), x, tf.expm1(x).mul(this.alpha));
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), alpha: this.alpha };
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
  return {
    relu: (args) => new KerasReLU(args),
    elu: (args) => new KerasELU(args),
    subtract: (args) => new Subtract(args),
  };
}

/** The custom layer classes for this tfjs namespace (defined and registered on first use). */
export function customLayers(tf: Tf): CustomLayers {
  let layers = defined.get(tf);
  if (!layers) {
    layers = define(tf);
    defined.set(tf, layers);
  }
  return layers;
}
