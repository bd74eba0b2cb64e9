/**
 * Zero-copy Identity for wasm. The engine clones every tensor it saves for the backward pass, and
 * wasm's Identity copies the bytes; tensors are immutable and reference-counted, so sharing the buffer
 * (as wasm's Reshape and the cpu backend's Identity do) is safe and saves a copy per saved tensor.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const identityKernel: KernelFunc = ({ inputs, backend }) => {
  const x = inputs['x']!;
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};
