/**
 * MaxPoolGrad for webgpu, replacing tfjs-backend-webgpu 4.22's, which is WRONG on ties: its positions
 * shader keeps the LAST maximum of a window (`value >= max`), while the cpu backend (and tfjs-node, and
 * our wasm kernel) send the gradient to the FIRST one in row-major window order. Tied windows are common
 * after relu (zeros) and with quantised inputs, so models trained on different backends would diverge.
 *
 * One shader computes dx directly: each input cell looks at the windows that contain it, finds each
 * window's first maximum (strict '>'), and sums dy of the windows where that is itself. Padding never
 * wins; -Infinity and NaN never win (a window without a finite maximum sends nothing), as on cpu.
 * Windows are re-scanned per cell (filter⁴ reads): cheap for the 2×2 / 3×3 pools CNNs use.
 *
 * Loaded only after tfjs-backend-webgpu is (webgpuBackend.ts): importing it registers that backend,
 * which must happen after `navigator.gpu` exists.
 */
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { Tf } from '../tfNamespace';

class MaxPoolGradFirstMaxProgram implements WebGPUProgram {
  readonly variableNames = ['dy', 'x'];
  readonly uniforms = 'strides : vec2<i32>, pads : vec2<i32>, filterDims : vec2<i32>, outDims : vec2<i32>,';
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly shaderKey = 'cnnStudioMaxPoolGradFirstMax';
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];

  constructor(inShape: number[]) {
    this.outputShape = inShape;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let batch = coords[0];
          let r = coords[1];
          let c = coords[2];
          let d = coords[3];
          let H = uniforms.xShape[1];
          let W = uniforms.xShape[2];
          // Windows oh with oh*s - pad <= r < oh*s - pad + filter.
          let ohFirst = max(0, (r + uniforms.pads.x - uniforms.filterDims.x + uniforms.strides.x) / uniforms.strides.x);
          let ohLast = min(uniforms.outDims.x - 1, (r + uniforms.pads.x) / uniforms.strides.x);
          let owFirst = max(0, (c + uniforms.pads.y - uniforms.filterDims.y + uniforms.strides.y) / uniforms.strides.y);
          let owLast = min(uniforms.outDims.y - 1, (c + uniforms.pads.y) / uniforms.strides.y);
          var sum = 0.0;
          for (var oh = ohFirst; oh <= ohLast; oh++) {
            let r0 = oh * uniforms.strides.x - uniforms.pads.x;
            if (r < r0 || r >= r0 + uniforms.filterDims.x) { continue; }
            for (var ow = owFirst; ow <= owLast; ow++) {
              let c0 = ow * uniforms.strides.y - uniforms.pads.y;
              if (c < c0 || c >= c0 + uniforms.filterDims.y) { continue; }
              var best = 0.0;
              var found = false;
              var bestR = -1;
              var bestC = -1;
              for (var wr = max(r0, 0); wr < min(r0 + uniforms.filterDims.x, H); wr++) {
                for (var wc = max(c0, 0); wc < min(c0 + uniforms.filterDims.y, W); wc++) {
                  let v = getX(batch, wr, wc, d);
                  // finite values only (NaN and -Infinity fail the first test), the first maximum wins
                  if ((!found && v >= -3.4028234e38) || (found && v > best)) {
                    best = v;
                    found = true;
                    bestR = wr;
                    bestC = wc;
                  }
                }
              }
              if (bestR == r && bestC == c) {
                sum = sum + getDy(batch, oh, ow, d);
              }
            }
          }
          setOutputAtIndex(index, sum);
        }
      }
    `;
  }
}

function maxPoolGradFirstMax(tf: Tf): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const a = attrs as unknown as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const uniforms = [
      { type: 'int32', data: [info.strideHeight, info.strideWidth] },
      { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
      { type: 'int32', data: [info.effectiveFilterHeight, info.effectiveFilterWidth] },
      { type: 'int32', data: [info.outHeight, info.outWidth] },
    ];
    return (backend as WebGPUBackend).runWebGPUProgram(new MaxPoolGradFirstMaxProgram(input.shape.slice()), [dy, input], input.dtype, uniforms);
  };
}

/** Our webgpu training kernels (call after tfjs-backend-webgpu registered its own). */
export function registerWebgpuTrainingKernels(tf: Tf): void {
  const config: KernelConfig = { kernelName: 'MaxPoolGrad', backendName: 'webgpu', kernelFunc: maxPoolGradFirstMax(tf) };
  tf.unregisterKernel('MaxPoolGrad', 'webgpu');
  tf.registerKernel(config);
}
