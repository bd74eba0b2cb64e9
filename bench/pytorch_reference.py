"""PyTorch's training speed for the nets of `npm run bench` (src/engine/bench/benchModels.ts), the same
step as CNN Studio's bench: batch 64, Adam(1e-3), cross-entropy, fixed pixel-like inputs in [0, 1).
Run by bench/pytorchReference.ts with OPENBLAS_CORETYPE set to the best kernels this CPU runs.

usage: python3 bench/pytorch_reference.py NET [NET...] [--groups N]
prints one JSON line per net: {"net", "samplesPerSec", "samplesPerCpuSec", "groups", "threads", "torch"}
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn


def build(net):
    if net == 'fm-convnet':
        return nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.4), nn.Linear(1024, 10)), (1, 28, 28)
    if net == 'tutorial-cifar':
        return nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 10)), (3, 32, 32)
    if net == 'mnist-small':
        return nn.Sequential(
            nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 10)), (1, 28, 28)
    raise SystemExit(f'unknown net {net}')


STEPS_PER_GROUP = {'fm-convnet': 3, 'tutorial-cifar': 8, 'mnist-small': 48}


def measure(net, groups):
    torch.manual_seed(0)
    model, shape = build(net)
    n = 64 * shape[0] * shape[1] * shape[2]
    # the same inputs as trainingThroughput.ts: ((i * 2654435761) mod 2^32) / 2^32, labels (i * 7) mod 10
    i = torch.arange(n, dtype=torch.int64)
    x = (((i * 2654435761) % 4294967296).to(torch.float64) / 4294967296).to(torch.float32).reshape(64, *shape)
    y = torch.arange(64) * 7 % 10
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    spg = STEPS_PER_GROUP[net]
    wall, cpu = [], []
    for _ in range(groups):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(spg):
            step()
        wall.append(64 * spg / (time.perf_counter() - t0))
        cpu.append(64 * spg / max(1e-9, time.process_time() - c0))
    return {'net': net, 'samplesPerSec': statistics.median(wall), 'samplesPerCpuSec': statistics.median(cpu),
            'groups': wall, 'threads': torch.get_num_threads(), 'torch': torch.__version__}


def main():
    args = sys.argv[1:]
    groups = 5
    if '--groups' in args:
        k = args.index('--groups')
        groups = int(args[k + 1])
        del args[k:k + 2]
    for net in args:
        print(json.dumps(measure(net, groups)), flush=True)


if __name__ == '__main__':
    main()
