/**
 * Dataset loaders in plain Python + NumPy, shared by the Keras and PyTorch scripts. They read the same
 * layouts CNN Studio's engine reads (src/engine/data/) and return
 * `(train_images, train_labels, val_images, val_labels, class_names)`: images as uint8
 * `[n, height, width, channels]` (channels-last, as CNN Studio feeds its models), labels as int64 class
 * indices, and `None` for the validation pair when the dataset has no separate validation set.
 *
 * Only the loader for the model's dataset kind is written into a script, so a script stays short.
 */
import type { DatasetKind, DatasetReference, ModelFile } from '../format';
import { modelRescalesItself } from '../modelFacts';
import { pyNumber, pyString } from './python';

const IMAGE_FOLDER = `IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
VALIDATION_FOLDERS = ("val", "validation", "valid", "test")


def read_class_folders(path, image_size, color_mode, class_names=None):
    """Reads path/<class>/<image>: every image resized to image_size, as uint8."""
    from PIL import Image  # pip install pillow

    if class_names is None:
        class_names = sorted(d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d)) and not d.startswith("."))
    if not class_names:
        raise SystemExit(f"{path} has no class sub-folders: put each class's images in a folder named after the class.")
    images, labels = [], []
    mode = "L" if color_mode == "grayscale" else "RGB"
    height, width = image_size
    for label, name in enumerate(class_names):
        folder = os.path.join(path, name)
        for file in sorted(os.listdir(folder)):
            if not file.lower().endswith(IMAGE_EXTENSIONS):
                continue
            with Image.open(os.path.join(folder, file)) as img:
                img = img.convert(mode).resize((width, height), Image.BILINEAR)
                images.append(np.asarray(img, dtype=np.uint8).reshape(height, width, -1))
            labels.append(label)
    return np.stack(images), np.asarray(labels, dtype=np.int64), class_names


def load_image_folder(path, image_size, color_mode):
    """One sub-folder per class; or train/ and val/ (validation/, valid/, test/) folders holding them."""
    train_dir = os.path.join(path, "train")
    if not os.path.isdir(train_dir):
        x, y, class_names = read_class_folders(path, image_size, color_mode)
        return x, y, None, None, class_names
    x, y, class_names = read_class_folders(train_dir, image_size, color_mode)
    for name in VALIDATION_FOLDERS:
        if os.path.isdir(os.path.join(path, name)):
            x_val, y_val, _ = read_class_folders(os.path.join(path, name), image_size, color_mode, class_names)
            return x, y, x_val, y_val, class_names
    return x, y, None, None, class_names
`;

const MNIST_IDX = `def read_idx(file):
    """Reads an IDX file (the MNIST format), gzipped or not, into a NumPy array."""
    opener = gzip.open if file.endswith(".gz") else open
    with opener(file, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find_idx_file(folder, prefix, kind):
    """train-images-idx3-ubyte, t10k-labels.idx1-ubyte.gz, …; None when absent."""
    for file in sorted(os.listdir(folder)):
        if file.startswith(f"{prefix}-{kind}") and "ubyte" in file:
            return os.path.join(folder, file)
    return None


def load_mnist_idx(path, image_size, color_mode):
    """A folder with train-images/-labels IDX files; t10k-* files, when there, are the validation set."""
    train_images = find_idx_file(path, "train", "images")
    if train_images is None:
        raise SystemExit(f"No train-images-idx3-ubyte file in {path}.")
    x = read_idx(train_images).reshape(-1, image_size[0], image_size[1], 1)
    y = read_idx(find_idx_file(path, "train", "labels")).astype(np.int64)
    class_names = [str(c) for c in range(int(y.max()) + 1)]
    test_images = find_idx_file(path, "t10k", "images")
    if test_images is None:
        return x, y, None, None, class_names
    x_val = read_idx(test_images).reshape(-1, image_size[0], image_size[1], 1)
    y_val = read_idx(find_idx_file(path, "t10k", "labels")).astype(np.int64)
    return x, y, x_val, y_val, class_names
`;

const CIFAR10 = `def read_cifar_batches(files):
    """Records of 1 label byte + 3072 pixel bytes stored channels-first; returned channels-last."""
    records = np.concatenate([np.fromfile(f, dtype=np.uint8).reshape(-1, 3073) for f in files])
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), records[:, 0].astype(np.int64)


def load_cifar10(path, image_size, color_mode):
    """The CIFAR-10 binary version: data_batch_1..5.bin for training, test_batch.bin for validation."""
    nested = os.path.join(path, "cifar-10-batches-bin")
    folder = nested if os.path.isdir(nested) else path
    batches = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.startswith("data_batch_") and f.endswith(".bin"))
    if not batches:
        raise SystemExit(f"No data_batch_N.bin files in {path}: unpack the CIFAR-10 binary version (cifar-10-binary.tar.gz).")
    meta = os.path.join(folder, "batches.meta.txt")
    class_names = [l.strip() for l in open(meta) if l.strip()] if os.path.exists(meta) else [str(c) for c in range(10)]
    x, y = read_cifar_batches(batches)
    test = os.path.join(folder, "test_batch.bin")
    x_val, y_val = read_cifar_batches([test]) if os.path.exists(test) else (None, None)
    if color_mode == "grayscale":
        to_gray = lambda a: (a @ np.array([0.299, 0.587, 0.114])).round().astype(np.uint8)[..., None]
        x = to_gray(x)
        x_val = None if x_val is None else to_gray(x_val)
    return x, y, x_val, y_val, class_names
`;

const CSV = `def read_csv_samples(path, image_size, class_names=None):
    """One sample per row: a label column (named label/class/target/y, else the first), then pixel values."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    head = rows[0]
    def is_number(v):
        try:
            float(v)
            return True
        except ValueError:
            return False
    has_header = any(not is_number(v) for v in head[1:]) or head[0].strip().lower() in ("label", "class")
    label_col = 0
    if has_header:
        names = [h.strip().lower() for h in head]
        label_col = next((i for i, h in enumerate(names) if h in ("label", "class", "target", "y")), 0)
        rows = rows[1:]
    raw_labels = [r[label_col].strip() for r in rows]
    if class_names is None:
        # Integer labels sort numerically (2 before 10), others alphabetically, as in CNN Studio.
        unique = set(raw_labels)
        if all(v.lstrip("-").isdigit() for v in unique):
            class_names = sorted(unique, key=int)
        else:
            class_names = sorted(unique)
    index = {name: i for i, name in enumerate(class_names)}
    labels = np.asarray([index[v] for v in raw_labels], dtype=np.int64)
    values = np.asarray([[float(c) for j, c in enumerate(r) if j != label_col] for r in rows], dtype=np.float32)
    if values.max() <= 1.0:  # values already in 0..1: scaled up to bytes like the rest
        values = values * 255.0
    images = np.clip(np.round(values), 0, 255).astype(np.uint8).reshape(len(rows), image_size[0], image_size[1], -1)
    return images, labels, class_names


def load_csv(path, image_size, color_mode):
    x, y, class_names = read_csv_samples(path, image_size)
    return x, y, None, None, class_names
`;

const LOADERS: Record<DatasetKind, { fn: string; code: string; imports: string[]; reread: string }> = {
  imageFolder: { fn: 'load_image_folder', code: IMAGE_FOLDER, imports: ['os'], reread: 'read_class_folders(VALIDATION_PATH, IMAGE_SIZE, COLOR_MODE, class_names)[:2]' },
  mnistIdx: { fn: 'load_mnist_idx', code: MNIST_IDX, imports: ['gzip', 'os', 'struct'], reread: 'load_mnist_idx(VALIDATION_PATH, IMAGE_SIZE, COLOR_MODE)[:2]' },
  cifar10: { fn: 'load_cifar10', code: CIFAR10, imports: ['os'], reread: 'load_cifar10(VALIDATION_PATH, IMAGE_SIZE, COLOR_MODE)[:2]' },
  csv: { fn: 'load_csv', code: CSV, imports: ['csv'], reread: 'read_csv_samples(VALIDATION_PATH, IMAGE_SIZE, class_names)[:2]' },
};

const SPLIT = `def stratified_split(labels, fraction, seed):
    """Indices (train, validation): every class keeps its share in both parts; same seed, same split."""
    rng = np.random.default_rng(seed)
    train, val = [], []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        n_val = int(round(len(members) * fraction))
        if fraction > 0 and n_val == 0 and len(members) >= 2:
            n_val = 1  # every class is measured
        val.extend(members[:n_val])
        train.extend(members[n_val:])
    return np.sort(np.asarray(train, dtype=np.int64)), np.sort(np.asarray(val, dtype=np.int64))


def load_data():
    """(x_train, y_train, x_val, y_val, class_names); images as float32 scaled by PIXEL_SCALE."""
    x_train, y_train, x_val, y_val, class_names = LOADER(DATA_PATH, IMAGE_SIZE, COLOR_MODE)
    if VALIDATION_PATH:
        x_val, y_val = REREAD
    elif x_val is None:
        train, val = stratified_split(y_train, VALIDATION_SPLIT, SEED)
        x_train, y_train, x_val, y_val = x_train[train], y_train[train], x_train[val], y_train[val]
    scale = lambda a: a.astype(np.float32) * PIXEL_SCALE
    return scale(x_train), y_train, scale(x_val), y_val, class_names
`;

export interface PythonDataCode {
  /** Standard-library modules the loader needs (besides numpy). */
  imports: string[];
  /** Function definitions, ending with `load_data()`. */
  definitions: string;
}

/** The NumPy loader for a dataset kind, the stratified split and `load_data()`. */
export function pythonDataCode(kind: DatasetKind): PythonDataCode {
  const l = LOADERS[kind];
  return { imports: l.imports, definitions: `${l.code}\n\n${SPLIT.replace('LOADER', l.fn).replace('REREAD', l.reread)}` };
}

/** `DATA_PATH = "…"` etc.: the dataset settings as constants at the top of a script. */
export function datasetConstants(dataset: DatasetReference, model: ModelFile): string {
  const lines = [
    `DATA_PATH = ${pyString(dataset.path)}`,
    `VALIDATION_PATH = ${dataset.validationPath ? pyString(dataset.validationPath) : 'None'}  # None: the dataset's own validation set, else VALIDATION_SPLIT`,
    `IMAGE_SIZE = (${pyNumber(dataset.imageSize[0])}, ${pyNumber(dataset.imageSize[1])})  # height, width`,
    `COLOR_MODE = ${pyString(dataset.colorMode)}`,
    modelRescalesItself(model)
      ? 'PIXEL_SCALE = 1.0  # the model starts with a Rescaling layer, so it is fed raw 0-255 pixel values'
      : 'PIXEL_SCALE = 1.0 / 255  # pixels are fed to the model in [0, 1]',
  ];
  return lines.join('\n');
}
