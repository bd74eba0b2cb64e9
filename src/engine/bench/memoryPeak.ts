/** Peak resident memory of the process and peak bytes held by tfjs tensors, sampled by the caller. */
import type { Tf } from '../backend/tfNamespace';

export class MemoryPeak {
  peakRss = 0;
  peakTensorBytes = 0;
  constructor(private readonly tf: Tf) {
    this.sample();
  }
  noteTensorPeak(bytes: number): void {
    this.peakTensorBytes = Math.max(this.peakTensorBytes, bytes);
  }
  sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    this.peakTensorBytes = Math.max(this.peakTensorBytes, this.tf.memory().numBytes);
  }
}
