/**
 * Fixes for two gradient kernels of tfjs-backend-cpu 4.22 that UpSampling2D needs (cpu is our fallback
 * backend and the reference our wasm kernels are tested against, so it has to be right):
 * - ResizeNearestNeighborGrad reads dy at the IMAGE's batch offset, so for batch > 1 every image after
 *   the first gets another image's gradient. Replaced by a scatter that follows the forward op's rule.
 * - ResizeBilinearGrad returns its (correct) values with height and width swapped in the shape, which
 *   makes backprop fail on non-square feature maps. Wrapped to report the input's shape.
 */
import type { KernelFunc, ResizeNearestNeighborGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

let registered = false;

export function registerCpuResizeGradFixes(tf: Tf): void {
  if (registered) return;
  registered = true;
  const nearest: KernelFunc = ({ inputs, backend, attrs }) => {
    const images = inputs['images']!;
    const dy = inputs['dy']!;
    const { alignCorners, halfPixelCenters } = attrs as unknown as ResizeNearestNeighborGradAttrs & { halfPixelCenters?: boolean };
    const cpu = backend as CpuBackendLike;
    return nearestGrad(cpu, images.shape as number[], dy.shape as number[], cpu.data.get(dy.dataId).values, alignCorners, halfPixelCenters === true);
  };
  replace(tf, 'ResizeNearestNeighborGrad', () => nearest);
  replace(tf, 'ResizeBilinearGrad', (original) => (args) => {
    const out = original(args) as TensorInfo;
    return { ...out, shape: args.inputs['images']!.shape.slice() };
  });
}

function replace(tf: Tf, name: string, make: (original: KernelFunc) => KernelFunc): void {
  const existing = tf.getKernel(name, 'cpu');
  if (!existing) return;
  tf.unregisterKernel(name, 'cpu');
  tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: make(existing.kernelFunc), setupFunc: existing.setupFunc });
}

/** dx[b, src(y), src(x), c] += dy[b, y, x, c], with src() exactly as the forward ResizeNearestNeighbor. */
function nearestGrad(
  cpu: CpuBackendLike,
  imagesShape: number[],
  dyShape: number[],
  DY: Float32Array,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): TensorInfo {
  const [B, H, W, C] = imagesShape as [number, number, number, number];
  const [, OH, OW] = dyShape as [number, number, number];
  const ratio = (inSize: number, outSize: number): number =>
    alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const source = (o: number, r: number, inSize: number): number => {
    const frac = halfPixelCenters ? r * (o + 0.5) : r * o;
    const s = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, s) : s;
  };
  const rh = ratio(H, OH);
  const rw = ratio(W, OW);
  const srcCol = Int32Array.from({ length: OW }, (_, x) => source(x, rw, W));
  const DX = new Float32Array(B * H * W * C);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      const rowBase = (b * H + source(y, rh, H)) * W;
      for (let x = 0; x < OW; x++, o += C) {
        const d = (rowBase + srcCol[x]!) * C;
        for (let c = 0; c < C; c++) DX[d + c] += DY[o + c]!;
      }
    }
  }
  return cpu.makeTensorInfo([B, H, W, C], 'float32', DX);
}
