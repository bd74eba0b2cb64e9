/**
 * How the native kernels choose OpenBLAS's kernel set and thread count from what the OS says about the
 * CPU: the best core type the flags allow, never one the CPU lacks, hyper-threads not counted, fewer
 * threads while other processes keep the cores busy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestOpenBlasCore, cpuRunsOpenBlasCore, parseCpuInfo } from '../../src/engine/backend/native/cpuFeatures';
import { chooseCoreType } from '../../src/engine/backend/native/loadNative';
import { NativeThreadPolicy, threadsForLoad } from '../../src/engine/backend/native/threadPolicy';

const AVX512 = 'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl';
const AVX2 = 'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2';

function cpuinfo(flags: string, cpus: Array<[physical: number, core: number]>): string {
  return cpus.map(([p, c], i) => `processor\t: ${i}\nphysical id\t: ${p}\ncore id\t\t: ${c}\nflags\t\t: ${flags}\n`).join('\n');
}

test('the best OpenBLAS core type for the flags: SkylakeX with AVX-512, Haswell with AVX2 + FMA, else none', () => {
  assert.equal(bestOpenBlasCore(parseCpuInfo(cpuinfo(AVX512, [[0, 0]]), 1).flags), 'SkylakeX');
  assert.equal(bestOpenBlasCore(parseCpuInfo(cpuinfo(AVX2, [[0, 0]]), 1).flags), 'Haswell');
  assert.equal(bestOpenBlasCore(new Set(['sse2', 'avx'])), 'Sandybridge');
  assert.equal(bestOpenBlasCore(new Set(['sse2', 'sse3'])), undefined);
  // AVX-512F alone (no BW/DQ/VL, e.g. Knights Landing) must not get SkylakeX kernels.
  assert.equal(bestOpenBlasCore(new Set([...AVX2.split(' '), 'avx512f'])), 'Haswell');
});

test("a requested core type is used only if the CPU runs it (a wrong one would crash with SIGILL)", () => {
  const avx2 = new Set(AVX2.split(' '));
  assert.equal(chooseCoreType('SkylakeX', avx2), 'Haswell');
  assert.equal(chooseCoreType('sandybridge', avx2), 'sandybridge');
  assert.equal(chooseCoreType('NoSuchCore', avx2), 'Haswell');
  assert.equal(chooseCoreType(undefined, new Set(AVX512.split(' '))), 'SkylakeX');
  assert.equal(cpuRunsOpenBlasCore('Haswell', new Set(['avx'])), false);
});

test('threads default to physical cores: hyper-threads share a core, so they are not counted', () => {
  // 2 cores x 2 hyper-threads, all 4 usable -> 2
  assert.equal(parseCpuInfo(cpuinfo(AVX2, [[0, 0], [0, 1], [0, 0], [0, 1]]), 4).physicalCores, 2);
  // no SMT, 2 usable CPUs -> 2
  assert.equal(parseCpuInfo(cpuinfo(AVX2, [[0, 0], [0, 1]]), 2).physicalCores, 2);
  // two sockets with the same core ids are distinct cores
  assert.equal(parseCpuInfo(cpuinfo(AVX2, [[0, 0], [1, 0]]), 2).physicalCores, 2);
  // a container limited to 1 CPU of an SMT machine still gets 1 thread
  assert.equal(parseCpuInfo(cpuinfo(AVX2, [[0, 0], [0, 0]]), 1).physicalCores, 1);
  // no cpuinfo at all
  assert.equal(parseCpuInfo('', 3).physicalCores, 3);
});

test('threads: all physical cores on a quiet machine, fewer while other processes keep cores busy, never 0', () => {
  assert.equal(threadsForLoad(4, 0.2, 4), 4);
  assert.equal(threadsForLoad(4, 4.1, 4), 4, 'the load is our own threads');
  assert.equal(threadsForLoad(4, 6, 4), 2, 'two cores busy elsewhere');
  assert.equal(threadsForLoad(2, 16, 2), 1);
  assert.equal(threadsForLoad(2, 2, 1), 1, 'one other process: stays at 1');
});

test('the thread policy re-decides every 3 s from the load average; a user limit is never changed', () => {
  let load = 0;
  let clock = 10_000;
  const applied: number[] = [];
  const adaptive = new NativeThreadPolicy(2, false, (n) => applied.push(n), () => load, () => clock);
  adaptive.tick();
  assert.equal(adaptive.threads, 2);
  load = 12;
  clock += 1000;
  adaptive.tick();
  assert.equal(adaptive.threads, 2, 'not re-checked within 3 s');
  clock += 3000;
  adaptive.tick();
  assert.equal(adaptive.threads, 1);
  load = 1;
  clock += 3000;
  adaptive.tick();
  assert.equal(adaptive.threads, 2);
  assert.deepEqual(applied, [1, 2]);
  const fixed = new NativeThreadPolicy(2, true, () => assert.fail('a user limit must not change'), () => 50, () => (clock += 5000));
  fixed.tick();
  fixed.tick();
  assert.equal(fixed.threads, 2);
});
