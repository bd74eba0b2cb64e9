/**
 * Category colours and labels. Colours are theme variables (VS Code's chart and terminal palettes),
 * so they follow light, dark and high-contrast themes; the CSS class carries the variable.
 */
import type { LayerCategory } from '../../src/core/catalogue';

export const CATEGORY_LABELS: Readonly<Record<LayerCategory, string>> = {
  input: 'Input',
  convolution: 'Convolution',
  pooling: 'Pooling',
  core: 'Core',
  normalization: 'Normalization',
  regularization: 'Regularization',
  activation: 'Activation',
  reshape: 'Reshape',
  merge: 'Merge',
};

/** CSS class that sets `--cat` for a category (see designer.css). */
export const categoryClass = (c: LayerCategory | 'unknown'): string => `cat-${c}`;
