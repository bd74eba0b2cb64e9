/**
 * Keras' random image transforms — RandomRotation, RandomZoom, RandomTranslation — as tfjs layer classes
 * registered under Keras' class names: in training each image gets its own random transform (sampled as
 * TF's ImageProjectiveTransformV3 does, with Keras' fill modes and interpolation: imageTransform.ts); at
 * inference they pass the input through, as Keras does.
 *
 * The matrices are Keras' (tf.keras 2.x `get_rotation_matrix`, `get_zoom_matrix`,
 * `get_translation_matrix`): each maps an output pixel to the input pixel it samples; a row
 * `[a0, a1, a2, b0, b1, b2, 0, 0]` per image. Random values come from tf.randomUniform, so a seeded
 * Math.random reproduces them. No gradient flows back through the transform (tfjs has none for GatherNd,
 * nor for its own Transform kernel): the analysis refuses a model with a trainable layer before one of
 * these (augmentationPlacement.ts).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { perNamespace } from './perNamespace';
import { affineTransform, type FillMode, type TransformInterpolation } from './imageTransform';

type Tf = typeof tfjs;
type Layer = tfjs.layers.Layer;
type Tensor = tfjs.Tensor;
type Tensor2D = tfjs.Tensor2D;

export type { FillMode, TransformInterpolation };

/** What every random transform shares: how pixels from outside the image are filled, and how they are sampled. */
export interface TransformFill {
  fillMode: FillMode;
  interpolation: TransformInterpolation;
  fillValue: number;
}

export interface RandomTransformLayers {
  /** Keras' RandomRotation: an angle in [−factor, factor] · 2π per image, about the image centre. */
  randomRotation(args: { name: string; factor: number } & TransformFill): Layer;
  /** Keras' RandomZoom: 1 + a draw in [−factor, factor] per axis (positive zooms out); no width factor: the height's zoom for both. */
  randomZoom(args: { name: string; heightFactor: number; widthFactor: number | null } & TransformFill): Layer;
  /** Keras' RandomTranslation: a shift of [−factor, factor] × the height (width) per image. */
  randomTranslation(args: { name: string; heightFactor: number; widthFactor: number } & TransformFill): Layer;
}

/** Rows of the eight transform entries, from [n, 1] columns and constants. */
function rows(tf: Tf, entries: readonly (Tensor2D | number)[]): Tensor2D {
  const n = entries.find((e): e is Tensor2D => typeof e !== 'number')!.shape[0];
  return tf.concat(entries.map((e) => (typeof e === 'number' ? tf.fill([n, 1], e) : e)) as Tensor2D[], 1);
}

/** Keras' transform rows for the layers' random draws (each an [n, 1] column), for an h × w image. */
export const kerasTransformRows = {
  /** A rotation by `angle` radians (positive: counter-clockwise) about the centre of the pixel grid, (w − 1)/2, (h − 1)/2. */
  rotation(tf: Tf, angle: Tensor2D, h: number, w: number): Tensor2D {
    const cos = angle.cos();
    const sin = angle.sin();
    const xOffset = cos.mul(w - 1).sub(sin.mul(h - 1)).neg().add(w - 1).div(2) as Tensor2D;
    const yOffset = sin.mul(w - 1).add(cos.mul(h - 1)).neg().add(h - 1).div(2) as Tensor2D;
    return rows(tf, [cos, sin.neg() as Tensor2D, xOffset, sin, cos, yOffset, 0, 0]);
  },
  /** A zoom about the grid's centre: a zoom above 1 samples a wider area, so the image gets smaller (zooms out). */
  zoom(tf: Tf, heightZoom: Tensor2D, widthZoom: Tensor2D, h: number, w: number): Tensor2D {
    const xOffset = widthZoom.neg().add(1).mul((w - 1) / 2) as Tensor2D;
    const yOffset = heightZoom.neg().add(1).mul((h - 1) / 2) as Tensor2D;
    return rows(tf, [widthZoom, 0, xOffset, 0, heightZoom, yOffset, 0, 0]);
  },
  /** A shift by (dx, dy) pixels: output pixel (x, y) samples input (x − dx, y − dy). */
  translation(tf: Tf, dy: Tensor2D, dx: Tensor2D): Tensor2D {
    return rows(tf, [1, 0, dx.neg() as Tensor2D, 0, 1, dy.neg() as Tensor2D, 0, 0]);
  },
};

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

function define(tf: Tf): RandomTransformLayers {
  /** A [n, 1] column of draws in [−factor, factor]. */
  const draw = (n: number, factor: number): Tensor2D => tf.randomUniform([n, 1], -factor, factor) as Tensor2D;

  abstract class RandomImageTransform extends tf.layers.Layer {
    readonly fillMode: FillMode;
    readonly interpolation: TransformInterpolation;
    readonly fillValue: number;
    constructor(args: { name: string } & Partial<TransformFill>) {
      super({ name: args.name });
      this.fillMode = args.fillMode ?? 'reflect';
      this.interpolation = args.interpolation ?? 'bilinear';
      this.fillValue = args.fillValue ?? 0;
    }
    /** One transform row per image of an [n, h, w, c] batch. */
    protected abstract transforms(n: number, h: number, w: number): Tensor2D;
    override call(inputs: Tensor | Tensor[], kwargs?: tfjs.serialization.ConfigDict): Tensor {
      return tf.tidy(() => {
        const x = one(inputs) as tfjs.Tensor4D;
        if (kwargs?.['training'] !== true) return x.clone();
        const [n, h, w] = x.shape;
        return affineTransform(tf, x, this.transforms(n, h, w), this.interpolation, this.fillMode, this.fillValue);
      });
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
    }
  }

  class RandomRotation extends RandomImageTransform {
    static className = 'RandomRotation';
    readonly factor: number;
    constructor(args: { name: string; factor: number } & Partial<TransformFill>) {
      super(args);
      this.factor = args.factor;
    }
    protected transforms(n: number, h: number, w: number): Tensor2D {
      return kerasTransformRows.rotation(tf, draw(n, this.factor).mul(2 * Math.PI) as Tensor2D, h, w);
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), factor: this.factor };
    }
  }

  class RandomZoom extends RandomImageTransform {
    static className = 'RandomZoom';
    readonly heightFactor: number;
    readonly widthFactor: number | null;
    constructor(args: { name: string; heightFactor: number; widthFactor?: number | null } & Partial<TransformFill>) {
      super(args);
      this.heightFactor = args.heightFactor;
      this.widthFactor = args.widthFactor ?? null;
    }
    protected transforms(n: number, h: number, w: number): Tensor2D {
      const heightZoom = draw(n, this.heightFactor).add(1) as Tensor2D;
      const widthZoom = this.widthFactor === null ? heightZoom : (draw(n, this.widthFactor).add(1) as Tensor2D);
      return kerasTransformRows.zoom(tf, heightZoom, widthZoom, h, w);
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
    }
  }

  class RandomTranslation extends RandomImageTransform {
    static className = 'RandomTranslation';
    readonly heightFactor: number;
    readonly widthFactor: number;
    constructor(args: { name: string; heightFactor: number; widthFactor: number } & Partial<TransformFill>) {
      super(args);
      this.heightFactor = args.heightFactor;
      this.widthFactor = args.widthFactor;
    }
    protected transforms(n: number, h: number, w: number): Tensor2D {
      const dy = draw(n, this.heightFactor).mul(h) as Tensor2D;
      const dx = draw(n, this.widthFactor).mul(w) as Tensor2D;
      return kerasTransformRows.translation(tf, dy, dx);
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
    }
  }

  for (const cls of [RandomRotation, RandomZoom, RandomTranslation]) tf.serialization.registerClass(cls);
  return {
    randomRotation: (args) => new RandomRotation(args),
    randomZoom: (args) => new RandomZoom(args),
    randomTranslation: (args) => new RandomTranslation(args),
  };
}

/** The random transform layer classes for this tfjs namespace (defined and registered on first use). */
export const randomTransformLayers: (tf: Tf) => RandomTransformLayers = perNamespace(define);
