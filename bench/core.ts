/**
 * Speed of the core functions the designer runs on every keystroke, on the resnet-mini template
 * (37 nodes with branches). `node --import tsx bench/core.ts` prints µs per call.
 */
import { parseModelText } from '../src/core/loader';
import { serializeModel } from '../src/core/serialize';
import { analyzeModel } from '../src/core/shapeInference';
import type { ModelFile } from '../src/core/format';
import { createModelFromTemplate } from '../src/core/templates';

export interface CoreBenchResult {
  nodes: number;
  analyzeModelMicros: number;
  /** analyzeModel on a 200-layer residual stack, to show how it scales. */
  analyzeLargeMicros: number;
  parseModelTextMicros: number;
  serializeModelMicros: number;
}

/** Mean µs per call of `fn` over enough calls to fill about `budgetMs`, after a warm-up. */
function microsPerCall(fn: () => unknown, budgetMs = 300): number {
  // Warm up until the JIT has settled (the first few thousand calls are several times slower).
  const warmUntil = performance.now() + budgetMs;
  for (let i = 0; i < 3000 || performance.now() < warmUntil; i++) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(budgetMs) * 1_000_000n) {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / 1000 / calls;
}

/** resnet-mini with 60 more residual blocks (≈ 200 layers). */
function largeModel(): ModelFile {
  const model = createModelFromTemplate('resnet-mini');
  const out = model.nodes.pop()!;
  const gap = model.nodes.pop()!;
  let x = gap.inputs[0]!;
  for (let b = 0; b < 60; b++) {
    model.nodes.push({ id: `x${b}_conv`, type: 'Conv2D', params: { filters: 64, padding: 'same' }, inputs: [x] });
    model.nodes.push({ id: `x${b}_bn`, type: 'BatchNormalization', params: {}, inputs: [`x${b}_conv`] });
    model.nodes.push({ id: `x${b}_add`, type: 'Add', params: {}, inputs: [`x${b}_bn`, x] });
    x = `x${b}_add`;
  }
  model.nodes.push({ ...gap, inputs: [x] }, out);
  return model;
}

export function benchCore(): CoreBenchResult {
  const model = createModelFromTemplate('resnet-mini');
  const text = serializeModel(model);
  parseModelText(text); // compiles the schema once, as the extension does on first open
  const large = largeModel();
  return {
    nodes: model.nodes.length,
    analyzeModelMicros: microsPerCall(() => analyzeModel(model, { numClasses: 10 })),
    analyzeLargeMicros: microsPerCall(() => analyzeModel(large, { numClasses: 10 })),
    parseModelTextMicros: microsPerCall(() => parseModelText(text)),
    serializeModelMicros: microsPerCall(() => serializeModel(model)),
  };
}

export function formatCoreBench(r: CoreBenchResult): string {
  return [
    `core on resnet-mini (${r.nodes} nodes):`,
    `  analyzeModel    ${r.analyzeModelMicros.toFixed(1)} µs/call`,
    `  analyzeModel    ${r.analyzeLargeMicros.toFixed(1)} µs/call on a 211-layer residual stack`,
    `  parseModelText  ${r.parseModelTextMicros.toFixed(1)} µs/call`,
    `  serializeModel  ${r.serializeModelMicros.toFixed(1)} µs/call`,
  ].join('\n');
}

if (require.main === module) console.log(formatCoreBench(benchCore()));
