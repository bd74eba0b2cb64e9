/**
 * Runs async jobs with a bounded number in flight. Image decoding is done by sharp on libuv's thread
 * pool; keeping a few dozen decodes queued keeps every thread busy without opening thousands of files.
 */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, job: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const workers: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      await job(items[i]!, i);
    }
  };
  for (let w = 0; w < Math.min(concurrency, items.length); w++) workers.push(worker());
  await Promise.all(workers);
}
