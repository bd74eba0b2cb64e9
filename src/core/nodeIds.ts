/**
 * Readable node ids (`conv1`, `pool2`, `dense1`) for new nodes: used by templates, migrations and the
 * designer when it adds a layer.
 */

const PREFIXES: ReadonlyMap<string, string> = new Map([
  ['Input', 'input'],
  ['Conv2D', 'conv'],
  ['DepthwiseConv2D', 'dwconv'],
  ['SeparableConv2D', 'sepconv'],
  ['Conv2DTranspose', 'deconv'],
  ['MaxPooling2D', 'pool'],
  ['AveragePooling2D', 'avgpool'],
  ['GlobalAveragePooling2D', 'gap'],
  ['GlobalMaxPooling2D', 'gmp'],
  ['Flatten', 'flatten'],
  ['Dense', 'dense'],
  ['Dropout', 'dropout'],
  ['SpatialDropout2D', 'sdropout'],
  ['BatchNormalization', 'bn'],
  ['Activation', 'act'],
  ['LeakyReLU', 'lrelu'],
  ['ZeroPadding2D', 'pad'],
  ['Cropping2D', 'crop'],
  ['UpSampling2D', 'up'],
  ['Reshape', 'reshape'],
  ['Rescaling', 'rescale'],
  ['Add', 'add'],
  ['Concatenate', 'concat'],
]);

/** The id prefix for a layer type, e.g. `conv` for Conv2D; unknown types get a lower-cased, cleaned name. */
export function idPrefixForType(type: string): string {
  const known = PREFIXES.get(type);
  if (known) return known;
  const cleaned = type.toLowerCase().replace(/[^a-z0-9_]/g, '');
  return /^[a-z]/.test(cleaned) ? cleaned : `layer${cleaned}`;
}

/** The first of `prefix1`, `prefix2`, … not in `taken`. */
export function uniqueNodeId(type: string, taken: ReadonlySet<string>): string {
  const prefix = idPrefixForType(type);
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`;
    if (!taken.has(id)) return id;
  }
}
