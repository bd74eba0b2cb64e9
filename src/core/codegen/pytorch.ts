/**
 * A runnable PyTorch script for a model file: an `nn.Module` with the same architecture (same output
 * shapes and parameter counts as our analysis), a NumPy loader for the dataset, and a training loop
 * with the file's optimizer (Keras' defaults), learning rate, loss, epochs, batch size, schedule and
 * early stopping. Launched by `torchrun`, it trains with DistributedDataParallel (gloo on CPU, nccl on
 * GPU) and a DistributedSampler.
 */
import type { LossName, ModelFile, OptimizerName } from '../format';
import { analyzeModel } from '../shapeInference';
import { CodegenError, inputNodes, outputActivation, outputNodes, topologicalOrder } from './graph';
import { type CodeSection, type CodegenOptions, effectiveDataset, joinSections, paramCountText, safeModelName } from './options';
import { indent, pyComment, pyFloat, pyNumber, uniqueIdentifiers } from './python';
import { datasetConstants, pythonDataCode } from './pythonData';
import { TORCH_HELPERS, type TorchHelper, torchNodeCode } from './pytorchLayers';

/** Optimizers with Keras' (and tfjs') defaults where PyTorch's differ (epsilon 1e-7, RMSprop rho 0.9, …). */
const TORCH_OPTIMIZERS: Record<OptimizerName, string> = {
  adam: 'torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-7)',
  sgd: 'torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)',
  rmsprop: 'torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=0.9, eps=1e-7)',
  adagrad: 'torch.optim.Adagrad(model.parameters(), lr=LEARNING_RATE, initial_accumulator_value=0.1, eps=1e-7)',
  adamax: 'torch.optim.Adamax(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-7)',
  adadelta: 'torch.optim.Adadelta(model.parameters(), lr=LEARNING_RATE, rho=0.95, eps=1e-7)',
};

function lossCode(loss: LossName, lastActivation: string | null): { code: string; accuracy: string } {
  const argmaxAcc = '(output.argmax(dim=1) == target).sum().item()';
  switch (loss) {
    case 'sparseCategoricalCrossentropy':
    case 'categoricalCrossentropy': {
      const same = loss === 'categoricalCrossentropy' ? '    # With one-hot targets this is the same value as Keras\' categorical cross-entropy.\n' : '';
      if (lastActivation === 'softmax') {
        return {
          code: `def loss_fn(output, target):\n    """Cross-entropy on probabilities (the model ends in softmax), clipped like Keras (1e-7)."""\n${same}    return F.nll_loss(torch.log(output.clamp(1e-7, 1 - 1e-7)), target)`,
          accuracy: argmaxAcc,
        };
      }
      return {
        code: `def loss_fn(output, target):\n    """The model does not end in softmax: its outputs are treated as logits."""\n${same}    return F.cross_entropy(output, target)`,
        accuracy: argmaxAcc,
      };
    }
    case 'binaryCrossentropy':
      return {
        code: 'def loss_fn(output, target):\n    """Binary cross-entropy on the probability of class 1 (one sigmoid output), clipped like Keras."""\n    return F.binary_cross_entropy(output.clamp(1e-7, 1 - 1e-7), target.float().view(-1, 1))',
        accuracy: '((output.view(-1) > 0.5).long() == target).sum().item()',
      };
    case 'meanSquaredError':
      return {
        code: 'def loss_fn(output, target):\n    """Mean squared error against one-hot targets."""\n    return F.mse_loss(output, F.one_hot(target, output.shape[1]).float())',
        accuracy: argmaxAcc,
      };
  }
}

/** The `nn.Module` class (and the helpers it uses). */
export function pytorchModuleCode(model: ModelFile, className = 'Net'): { helpers: string; module: string } {
  const analysis = analyzeModel(model);
  // Only problems that leave a shape unknown stop the export; a loss that does not suit the output
  // (for example) is the model file's choice and is exported as it is.
  const unknown = model.nodes.find((n) => !analysis.nodes.get(n.id)?.outputShape);
  if (unknown) {
    const why = analysis.diagnostics.find((d) => d.severity === 'error' && (d.nodeId === unknown.id || d.nodeId === null)) ?? analysis.diagnostics.find((d) => d.severity === 'error');
    throw new CodegenError(`The shape of layer '${unknown.id}' cannot be worked out, so the model cannot be exported${why ? `: ${why.message}` : '. Fix the model in the designer first.'}`);
  }
  const order = topologicalOrder(model);
  const names = uniqueIdentifiers(order.map((n) => n.id));
  const inputs = inputNodes(model);
  const outputs = outputNodes(model);
  const chain = order.every((n, k) => k === 0 || (n.inputs.length === 1 && n.inputs[0] === order[k - 1]!.id)) && outputs.length === 1 && inputs.length === 1;
  const init: string[] = [];
  const forward: string[] = [];
  const helpers = new Set<TorchHelper>();
  const frozen: string[] = [];
  const frozenBatchNorms: string[] = [];
  for (const n of order) {
    if (n.type === 'Input') continue;
    const info = analysis.nodes.get(n.id);
    if (!info) throw new CodegenError(`Layer '${n.id}' could not be analysed; fix the model in the designer first.`);
    const code = torchNodeCode(n, names.get(n.id)!, info.inputShapes, info.outputShape);
    code.helpers.forEach((h) => helpers.add(h));
    if (n.trainable === false) {
      const modules = moduleAttributes(code.init);
      frozen.push(...modules);
      if (n.type === 'BatchNormalization') frozenBatchNorms.push(...modules);
    }
    // A comment that explains a recurring choice is written only the first time.
    for (const line of code.init) if (!(line.startsWith('#') && init.includes(line))) init.push(line);
    const ins = chain ? ['x'] : n.inputs.map((i) => names.get(i)!);
    forward.push(...code.forward(ins, chain ? 'x' : names.get(n.id)!));
  }
  const inputArgs = chain ? ['x'] : inputs.map((n) => names.get(n.id)!);
  const returns = chain ? 'x' : outputs.map((n) => names.get(n.id)!).join(', ');
  const shape = (inputs[0]?.params['shape'] as readonly number[] | undefined) ?? [];
  const doc = [
    `"""${model.name}, as in CNN Studio (layer attributes are named after the node ids).`,
    '',
    `Input: channels-first ${shape.length === 3 ? `[batch, ${shape[2]}, ${shape[0]}, ${shape[1]}]` : `[batch, ${shape.join(', ')}]`} (PyTorch's layout; CNN Studio and Keras use`,
    `channels-last). Output: ${analysis.nodes.get(outputs[0]?.id ?? '')?.outputShape?.length === 3 ? 'channels-first feature maps' : `[batch, ${analysis.nodes.get(outputs[0]?.id ?? '')?.outputShape?.join(', ') ?? '?'}]`}.`,
    '"""',
  ];
  if (frozen.length > 0) {
    init.push(
      '# Frozen in CNN Studio ("trainable": false): the optimizer leaves these weights as they are.',
      `for layer in ${pyTupleOf(frozen)}:`,
      '    layer.requires_grad_(False)',
    );
  }
  const module = [
    `class ${className}(nn.Module):`,
    indent(doc.join('\n')),
    '',
    '    def __init__(self):',
    '        super().__init__()',
    indent(init.length ? init.join('\n') : 'pass', 8),
    '',
    `    def forward(self, ${inputArgs.join(', ')}):`,
    indent([...forward, `return ${returns}`].join('\n'), 8),
    ...(frozenBatchNorms.length > 0 ? ['', indent(frozenBatchNormTrain(frozenBatchNorms), 4)] : []),
  ].join('\n');
  return { helpers: [...helpers].map((h) => TORCH_HELPERS[h]).join('\n\n\n'), module };
}

/** The `self.<name> = …` modules a layer's init lines create (a SeparableConv2D makes two). */
function moduleAttributes(init: readonly string[]): string[] {
  return init.map((line) => /^self\.(\w+) = /.exec(line)?.[1]).filter((a): a is string => a !== undefined);
}

/** `(self.a, self.b)`, or `(self.a,)` for one. */
function pyTupleOf(attrs: readonly string[]): string {
  return `(${attrs.map((a) => `self.${a}`).join(', ')}${attrs.length === 1 ? ',' : ''})`;
}

/**
 * Keras runs a frozen BatchNormalization in inference mode even while training (its moving statistics
 * are kept). In PyTorch `requires_grad_(False)` does not do that: BatchNorm updates its running
 * statistics in train mode whatever its gradients, so `train()` puts those layers back in eval mode.
 */
function frozenBatchNormTrain(attrs: readonly string[]): string {
  return [
    'def train(self, mode=True):',
    '    """Frozen BatchNormalization layers stay in eval mode, as in Keras: their running statistics are kept."""',
    '    super().train(mode)',
    `    for layer in ${pyTupleOf(attrs)}:`,
    '        layer.eval()',
    '    return self',
  ].join('\n');
}

function headerSection(model: ModelFile, options: CodegenOptions): CodeSection {
  const script = options.scriptName ?? `${safeModelName(model.name)}_pytorch.py`;
  const code = [
    '"""',
    `${model.name}: a CNN exported from CNN Studio as a PyTorch script (${paramCountText(model)}).`,
    ...(model.description ? ['', model.description] : []),
    '',
    `Train:               python3 ${script} [--data PATH] [--epochs N] [--batch-size N]`,
    `Several processes:   torchrun --nproc_per_node 2 ${script}   (DistributedDataParallel; gloo on CPU, nccl on GPUs)`,
    `Several machines:    torchrun --nnodes 2 --node_rank R --master_addr HOST --nproc_per_node G ${script}`,
    '(PyTorch 1.13 on Python 3.11, e.g. Debian 12: add `--redirects 2 --tee 2` to torchrun, whose defaults it cannot parse.)',
    '',
    'The network matches the CNN Studio model: the same output shapes and parameter counts, TF-style',
    "'same' padding, Keras' BatchNormalization momentum/epsilon and optimizer defaults, and Flatten in",
    'channels-last order (so Dense weights line up with Keras/TF.js weights).',
    '"""',
  ].join('\n');
  return { id: 'header', title: 'About', explanation: '', code };
}

function importsSection(model: ModelFile, options: CodegenOptions): CodeSection {
  const { dataset } = effectiveDataset(model, options);
  const std = new Set(['argparse', 'copy', 'os', ...pythonDataCode(dataset.kind).imports]);
  const code = [
    ...[...std].sort().map((m) => `import ${m}`),
    '',
    'import numpy as np',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data import DataLoader, DistributedSampler, TensorDataset',
  ].join('\n');
  return { id: 'imports', title: 'Imports', explanation: '', code };
}

function settingsSection(model: ModelFile, options: CodegenOptions): CodeSection {
  const t = model.training;
  const { dataset, placeholder } = effectiveDataset(model, options);
  const code = [
    `EPOCHS = ${pyNumber(t.epochs)}`,
    `BATCH_SIZE = ${pyNumber(t.batchSize)}  # per process`,
    `LEARNING_RATE = ${pyFloat(model.compile.learningRate)}`,
    `VALIDATION_SPLIT = ${pyFloat(t.validationSplit)}  # used when the dataset has no validation set`,
    `SEED = ${pyNumber(t.seed)}`,
    ...(placeholder ? [pyComment('The model file names no dataset: point DATA_PATH at a folder with one sub-folder of images per class.')] : []),
    datasetConstants(dataset, model),
  ].join('\n');
  return { id: 'settings', title: 'Settings', explanation: '', code };
}

function augmentCode(model: ModelFile): string | null {
  const a = model.training.augmentation;
  if (!a.horizontalFlip && a.translate <= 0 && a.brightness <= 0) return null;
  const lines = ['def augment(x):', '    """Random changes to a training batch (channels-first), as set in the model file."""'];
  if (a.horizontalFlip) lines.push('    flip = torch.rand(x.shape[0], device=x.device) < 0.5', '    x = torch.where(flip[:, None, None, None], x.flip(3), x)');
  if (a.translate > 0) {
    lines.push(
      `    # Shift each image by up to ${a.translate * 100}% of its size, filling with zeros.`,
      `    max_dy, max_dx = int(x.shape[2] * ${pyFloat(a.translate)}), int(x.shape[3] * ${pyFloat(a.translate)})`,
      '    padded = F.pad(x, (max_dx, max_dx, max_dy, max_dy))',
      '    shifted = torch.empty_like(x)',
      '    for i in range(x.shape[0]):',
      '        dy = int(torch.randint(0, 2 * max_dy + 1, ()))',
      '        dx = int(torch.randint(0, 2 * max_dx + 1, ()))',
      '        shifted[i] = padded[i, :, dy : dy + x.shape[2], dx : dx + x.shape[3]]',
      '    x = shifted',
    );
  }
  if (a.brightness > 0) {
    lines.push(
      `    # Brightness: add up to ±${a.brightness * 100}% of full scale per image.`,
      '    full_scale = 255.0 * PIXEL_SCALE',
      `    shift = (torch.rand(x.shape[0], 1, 1, 1, device=x.device) * 2 - 1) * ${pyFloat(a.brightness)} * full_scale`,
      '    x = (x + shift).clamp(0.0, full_scale)',
    );
  }
  lines.push('    return x');
  return lines.join('\n');
}

function trainingSection(model: ModelFile): CodeSection {
  const t = model.training;
  const s = t.learningRateSchedule;
  const es = t.earlyStopping;
  const loss = lossCode(model.compile.loss, outputActivation(model));
  const aug = augmentCode(model);
  let scheduler = '';
  if (s.kind === 'step') scheduler = `# Step decay: x${s.factor} every ${s.stepEpochs} epochs.\nscheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=${pyNumber(s.stepEpochs)}, gamma=${pyFloat(s.factor)})`;
  else if (s.kind === 'cosine') scheduler = `# Cosine decay from LEARNING_RATE (first epoch) to ${s.minLearningRate} (last epoch).\nscheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, epochs - 1), eta_min=${pyFloat(s.minLearningRate)})`;
  else if (s.kind === 'reduceOnPlateau') {
    scheduler = `# x${s.factor} when the validation loss stalls for ${s.patience} epochs (PyTorch counts patience one higher than Keras).\nscheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(\n    optimizer, factor=${pyFloat(s.factor)}, patience=${pyNumber(Math.max(0, s.patience - 1))}, threshold=1e-4, threshold_mode="abs", min_lr=${pyFloat(s.minLearningRate)}\n)`;
  }
  const monitor = es.monitor === 'valAccuracy' ? 'val_accuracy' : 'val_loss';
  const code = `${loss.code}


${aug ?? ''}${aug ? '\n\n\n' : ''}def evaluate(model, loader, device):
    """Mean loss and accuracy over a loader."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, target in loader:
            x, target = x.to(device), target.to(device)
            output = model(x)
            total_loss += loss_fn(output, target).item() * len(x)
            correct += ${loss.accuracy}
            count += len(x)
    return total_loss / max(count, 1), correct / max(count, 1)


def to_tensors(images, labels):
    """NumPy channels-last images -> a channels-first TensorDataset."""
    return TensorDataset(torch.from_numpy(images).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(labels))


def main():
    global DATA_PATH
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--data", default=DATA_PATH, help="dataset path (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--out", default=${JSON.stringify(`${safeModelName(model.name)}.pt`)}, help="where the trained weights are saved")
    args = parser.parse_args()
    epochs = args.epochs

    # torchrun sets WORLD_SIZE, RANK and LOCAL_RANK for every process it starts.
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    rank, world_size, local_rank = 0, 1, 0
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank, world_size = dist.get_rank(), dist.get_world_size()
        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available():
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    torch.manual_seed(SEED)  # the same initial weights in every process (DDP also broadcasts rank 0's)
    log = print if rank == 0 else (lambda *a, **k: None)

    DATA_PATH = args.data
    x_train, y_train, x_val, y_val, class_names = load_data()
    log(f"{len(x_train)} training and {len(x_val)} validation samples, {len(class_names)} classes, {world_size} process(es)")
    train_set, val_set = to_tensors(x_train, y_train), to_tensors(x_val, y_val)
    # Each process trains on its own shard of every epoch; DistributedSampler reshuffles it per epoch.
    sampler = DistributedSampler(train_set, num_replicas=world_size, rank=rank, shuffle=True, seed=SEED) if distributed else None
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler)
    val_loader = DataLoader(val_set, batch_size=args.batch_size)

    net = Net().to(device)
    model = DistributedDataParallel(net, device_ids=[local_rank] if device.type == "cuda" else None) if distributed else net
    log(f"{sum(p.numel() for p in net.parameters()):,} parameters")
    optimizer = ${TORCH_OPTIMIZERS[model.compile.optimizer].replace('model.parameters()', 'model.parameters()')}
${scheduler ? `${indent(scheduler, 4)}\n` : ''}${es.enabled ? '    best_value, best_state, wait = None, None, 0\n' : ''}
    for epoch in range(1, epochs + 1):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        seen, total_loss, correct = 0, 0.0, 0
        for x, target in train_loader:
            x, target = x.to(device), target.to(device)${aug ? '\n            x = augment(x)' : ''}
            optimizer.zero_grad()
            output = model(x)
            loss = loss_fn(output, target)
            loss.backward()  # DDP averages the gradients of all processes here
            optimizer.step()
            seen += len(x)
            total_loss += loss.item() * len(x)
            correct += ${loss.accuracy}
        # Validation on rank 0's weights, shared with every process so they all take the same decisions.
        metrics = torch.tensor(evaluate(net, val_loader, device) if rank == 0 and len(val_set) else (float("nan"), float("nan")), dtype=torch.float64)
        if distributed:
            dist.broadcast(metrics, src=0)
        val_loss, val_accuracy = metrics.tolist()
        lr = optimizer.param_groups[0]["lr"]
        log(f"epoch {epoch}/{epochs}: loss {total_loss / seen:.4f}, accuracy {correct / seen:.4f}, val_loss {val_loss:.4f}, val_accuracy {val_accuracy:.4f}, lr {lr:.6g}")
${s.kind === 'constant' ? '' : `${indent(s.kind === 'reduceOnPlateau' ? 'scheduler.step(val_loss if len(val_set) else total_loss / seen)' : 'scheduler.step()', 8)}\n`}${
  es.enabled
    ? indent(
        `# Early stopping on ${monitor} (patience ${es.patience}${es.restoreBestWeights ? ', keeping the best weights' : ''}).
value = ${monitor === 'val_accuracy' ? '-val_accuracy' : 'val_loss'}
if len(val_set) and (best_value is None or value < best_value):
    best_value, best_state, wait = value, copy.deepcopy(net.state_dict()), 0
elif len(val_set):
    wait += 1
    if wait >= ${pyNumber(es.patience)}:
        log(f"early stop: ${monitor} has not improved for ${es.patience} epochs")
        break`,
        8,
      )
    : ''
}
${es.enabled && es.restoreBestWeights ? '    if best_state is not None:\n        net.load_state_dict(best_state)\n' : ''}
    if rank == 0:
        torch.save(net.state_dict(), args.out)
        log(f"saved {args.out}")
    if distributed:
        # The same number in every process shows the replicas ended with identical weights.
        checksum = sum(p.detach().double().sum().item() for p in net.parameters())
        print(f"rank {rank}/{world_size} weight checksum {checksum:.10f}", flush=True)
        dist.destroy_process_group()


if __name__ == "__main__":
    main()`;
  return { id: 'fit', title: 'Training', explanation: '', code };
}

/** The script as sections. */
export function pytorchSections(model: ModelFile, options: CodegenOptions = {}): CodeSection[] {
  const { dataset } = effectiveDataset(model, options);
  const { helpers, module } = pytorchModuleCode(model);
  const sections: CodeSection[] = [headerSection(model, options), importsSection(model, options), settingsSection(model, options)];
  sections.push({ id: 'data', title: 'Data', explanation: '', code: pythonDataCode(dataset.kind).definitions });
  sections.push({ id: 'model', title: 'Model', explanation: '', code: helpers ? `${helpers}\n\n\n${module}` : module });
  sections.push(trainingSection(model));
  return sections;
}

/** A runnable PyTorch script for the model file. */
export function generatePytorchScript(model: ModelFile, options: CodegenOptions = {}): string {
  return joinSections(pytorchSections(model, options));
}
