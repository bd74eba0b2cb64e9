/**
 * Speed of the core functions the designer runs on every keystroke, on the resnet-mini template
 * (37 nodes with branches). `node --import tsx bench/core.ts` prints µs per call.
 */
import { parseModelText } from '../src/core/loader';
import { serializeModel } from '../src/core/serialize';
import { analyzeModel } from '../src/core/shapeInference';
import { createModelFromTemplate } from '../src/core/templates';

export interface CoreBenchResult {
  nodes: number;
  analyzeModelMicros: number;
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

export function benchCore(): CoreBenchResult {
  const model = createModelFromTemplate('resnet-mini');
  const text = serializeModel(model);
  parseModelText(text); // compiles the schema once, as the extension does on first open
  return {
    nodes: model.nodes.length,
    analyzeModelMicros: microsPerCall(() => analyzeModel(model, { numClasses: 10 })),
    parseModelTextMicros: microsPerCall(() => parseModelText(text)),
    serializeModelMicros: microsPerCall(() => serializeModel(model)),
  };
}

export function formatCoreBench(r: CoreBenchResult): string {
  return [
    `core on resnet-mini (${r.nodes} nodes):`,
    `  analyzeModel    ${r.analyzeModelMicros.toFixed(1)} µs/call`,
    `  parseModelText  ${r.parseModelTextMicros.toFixed(1)} µs/call`,
    `  serializeModel  ${r.serializeModelMicros.toFixed(1)} µs/call`,
  ].join('\n');
}

if (require.main === module) console.log(formatCoreBench(benchCore()));
