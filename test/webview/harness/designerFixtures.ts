/** Model texts the designer tests open (real templates, plus small hand-made graphs). */
import { serializeModel } from '../../../src/core/loader';
import { createModelFromTemplate } from '../../../src/core/templates';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type ModelFile, type ModelNode } from '../../../src/core/format';

export function templateText(id: string): string {
  return serializeModel(createModelFromTemplate(id));
}

export function modelText(name: string, nodes: ModelNode[]): string {
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name,
    nodes,
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
  };
  return serializeModel(model);
}

/** Two same-shaped branches and an Add that so far reads only one of them. */
export function twoBranchText(): string {
  return modelText('two-branch', [
    { id: 'input', type: 'Input', params: { shape: [16, 16, 3] }, inputs: [] },
    { id: 'left', type: 'Conv2D', params: { filters: 8, padding: 'same' }, inputs: ['input'] },
    { id: 'right', type: 'Conv2D', params: { filters: 8, padding: 'same' }, inputs: ['input'] },
    { id: 'merge', type: 'Add', params: {}, inputs: ['left'] },
    { id: 'gap', type: 'GlobalAveragePooling2D', params: {}, inputs: ['merge'] },
    { id: 'output', type: 'Dense', params: { units: 10, activation: 'softmax' }, inputs: ['gap'] },
  ]);
}
