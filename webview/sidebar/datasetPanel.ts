/**
 * The side bar's dataset panel: what the model trains on, as the engine found it (see
 * src/extension/sidebar/datasetSummary.ts): kind and path, classes with image counts and sample
 * thumbnails, the image size and colour against the model's Input (with "Set the Input to the data"),
 * the train/validation sizes, and the augmentation settings, editable, previewed on a few images.
 * Thumbnails are `data:` PNGs (the page's CSP allows no other images besides its own resources).
 */
import type { AugmentationSettings, DatasetReference } from '../../src/core/format';
import type { DatasetDescription } from '../../src/protocol/engine';
import { AUGMENTATION_LIMITS, type SidebarDatasetInfo, type SidebarToHost } from '../../src/protocol/sidebar';
import { h } from '../common/dom';
import { imageShapeText } from '../../src/core/datasetFolder';

export interface DatasetPanelContext {
  readonly documentUri: string;
  readonly version: number;
  readonly dataset: DatasetReference;
  readonly augmentation: AugmentationSettings;
  readonly validationSplit: number;
  /** The engine's answer for exactly this dataset, or undefined before it arrives. */
  readonly info: SidebarDatasetInfo | undefined;
  readonly post: (message: SidebarToHost) => void;
  readonly button: (label: string, onClick: () => void, appearance?: 'primary' | 'secondary') => HTMLElement;
}

const KIND_LABEL: Record<DatasetReference['kind'], string> = {
  imageFolder: 'Image folder',
  mnistIdx: 'MNIST IDX files',
  cifar10: 'CIFAR-10 batches',
  csv: 'CSV file',
};

const count = (n: number): string => n.toLocaleString('en-US');
const sizeText = imageShapeText;

function thumbnails(name: string, samples: readonly string[]): HTMLElement {
  const strip = h('div', { class: 'thumbs', role: 'list', 'aria-label': `Sample images of ${name}` });
  samples.forEach((src, i) => strip.append(h('img', { src, alt: `${name} sample ${i + 1}`, role: 'listitem', class: 'thumb' })));
  return strip;
}

function fitLine(d: DatasetDescription, ctx: DatasetPanelContext): HTMLElement {
  const { found, inputShape } = d;
  const foundText = `${sizeText(found.height, found.width, found.channels)}${found.uniform ? '' : ' (mostly; sizes vary)'}`;
  const box = h('div', { class: 'fit', 'data-role': 'dataset-fit' });
  if (!inputShape) {
    box.append(h('p', {}, `Images: ${foundText}. The model has no Input layer yet.`));
    return box;
  }
  if (d.fitsInput) {
    box.append(h('p', { class: 'ok' }, `Images: ${foundText}, the same as the model's input.`));
    return box;
  }
  const target: [number, number, number] = [found.height, found.width, found.channels === 1 ? 1 : 3];
  box.append(
    h('p', { class: 'warning' }, `Images: ${foundText}, but the model's input is ${sizeText(inputShape[0], inputShape[1], inputShape[2])}: training converts every image.`),
    h(
      'div',
      { class: 'buttons' },
      ctx.button(`Set the Input to the data (${target.join('×')})`, () => ctx.post({ type: 'setInputToData', documentUri: ctx.documentUri, baseVersion: ctx.version, shape: target }), 'primary'),
    ),
  );
  return box;
}

function splitLine(d: DatasetDescription, validationSplit: number): HTMLElement {
  const source = d.validationSource === 'separate' ? 'its own validation files' : `${Math.round(validationSplit * 100)}% of each class held out`;
  return h('p', { 'data-role': 'dataset-split' }, `Training ${count(d.numTrain)} · validation ${count(d.numValidation)} (${source})`);
}

function classList(d: DatasetDescription): HTMLElement {
  const list = h('ul', { class: 'classes', 'aria-label': 'Classes' });
  for (const c of d.classes) {
    list.append(h('li', {}, h('div', { class: 'class-head' }, h('span', { class: 'class-name' }, c.name), h('span', { class: 'muted' }, `${count(c.count)} images`)), thumbnails(c.name, c.samples)));
  }
  return list;
}

/** Number field for one augmentation setting; posts the whole settings on a valid change. */
function augmentationField(label: string, name: 'translate' | 'brightness', ctx: DatasetPanelContext, hint: string): HTMLElement {
  const limits = AUGMENTATION_LIMITS[name];
  const field = h('vscode-text-field', { value: String(ctx.augmentation[name]), 'aria-label': label, 'data-setting': name }) as HTMLElement & { value: string };
  field.textContent = label;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  field.addEventListener('change', () => {
    const value = Number(field.value.trim());
    const ok = field.value.trim() !== '' && Number.isFinite(value) && value >= limits.min && value <= limits.max;
    error.hidden = ok;
    error.textContent = ok ? '' : `${label} must be a number from ${limits.min} to ${limits.max}.`;
    if (ok && value !== ctx.augmentation[name]) {
      ctx.post({ type: 'setAugmentation', documentUri: ctx.documentUri, baseVersion: ctx.version, augmentation: { ...ctx.augmentation, [name]: value } });
    }
  });
  return h('div', {}, h('label', { class: 'field' }, field), h('p', { class: 'muted hint' }, hint), error);
}

function augmentation(d: DatasetDescription | null, ctx: DatasetPanelContext): HTMLElement {
  const flip = h('vscode-checkbox', { checked: ctx.augmentation.horizontalFlip, 'data-setting': 'horizontalFlip' }) as HTMLElement & { checked: boolean };
  flip.textContent = 'Flip left–right at random';
  flip.addEventListener('change', () => {
    if (flip.checked !== ctx.augmentation.horizontalFlip) {
      ctx.post({ type: 'setAugmentation', documentUri: ctx.documentUri, baseVersion: ctx.version, augmentation: { ...ctx.augmentation, horizontalFlip: flip.checked } });
    }
  });
  const box = h(
    'div',
    { class: 'augmentation', 'data-role': 'augmentation' },
    flip,
    augmentationField('Shift (fraction of the size)', 'translate', ctx, 'Largest random shift, 0–0.5 (0 = off).'),
    augmentationField('Brightness', 'brightness', ctx, 'Largest random brightness change, 0–1 (0 = off).'),
  );
  if (d && d.augmentationPreview.length) {
    const grid = h('div', { class: 'aug-preview', 'aria-label': 'Augmentation preview: each image, then four random draws' });
    for (const p of d.augmentationPreview) {
      const row = h('div', { class: 'aug-row' }, h('img', { src: p.original, alt: `${p.className} as stored`, class: 'thumb original' }));
      p.augmented.forEach((src, i) => row.append(h('img', { src, alt: `${p.className}, random draw ${i + 1}`, class: 'thumb' })));
      grid.append(row);
    }
    box.append(h('p', { class: 'muted' }, 'Preview: the image as stored, then four random draws of these settings.'), grid);
  } else if (d) {
    box.append(h('p', { class: 'muted' }, 'Augmentation is off: training sees every image as it is.'));
  }
  return box;
}

/** Whether the augmentation section is open survives re-renders (a state arrives on every edit). */
let augmentationOpen = false;

export function datasetPanel(ctx: DatasetPanelContext): HTMLElement {
  const ds = ctx.dataset;
  const box = h('div', { class: 'dataset', 'data-role': 'dataset-panel' });
  box.append(h('p', { class: 'dataset-path' }, h('span', { class: 'kind' }, KIND_LABEL[ds.kind] ?? ds.kind), ' ', h('span', { class: 'path' }, ds.path)));
  const info = ctx.info;
  let described: DatasetDescription | null = null;
  if (!info || info.status === 'loading') {
    box.append(h('p', { class: 'muted', role: 'status' }, 'Reading the dataset…'));
  } else if (info.status === 'error') {
    box.append(h('p', { class: 'error', role: 'alert' }, info.message));
  } else if (info.status === 'unavailable') {
    box.append(h('p', { class: 'muted' }, info.message));
  } else {
    described = info.description;
    const d = described;
    const total = d.classes.reduce((n, c) => n + c.count, 0);
    box.append(
      h('p', { 'data-role': 'dataset-facts' }, `${d.classes.length} classes · ${count(total)} images`),
      fitLine(d, ctx),
      splitLine(d, ctx.validationSplit),
      classList(d),
    );
    const other = d.warnings.filter((w) => !w.startsWith('The images are ') || d.fitsInput);
    if (other.length) box.append(h('ul', { class: 'warnings' }, ...other.map((w) => h('li', { class: 'warning' }, w))));
  }
  const aug = h('details', { class: 'aug-details', open: augmentationOpen }, h('summary', {}, h('h3', { class: 'inline' }, 'Augmentation')), augmentation(described, ctx));
  aug.addEventListener('toggle', () => (augmentationOpen = aug.open));
  box.append(aug);
  return box;
}
