#!/usr/bin/env bash
# The main job on a fresh machine: install, build, then the whole CLI path a user takes —
# a model from a template, its summary, a generated dataset, training, evaluation and a prediction.
#   bash scripts/demo.sh [work-dir]      (default: ./demo)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run -s build
cli="node $(pwd)/dist/cli.js"
work=${1:-demo}
mkdir -p "$work" && cd "$work"

echo "== the TensorFlow tutorial CNN, checked without TensorFlow"
$cli new tutorial-cifar tutorial-cifar.cnn.json --force
$cli summary tutorial-cifar.cnn.json

echo "== a small CNN trained on a generated dataset of shapes"
$cli new mnist-small shapes.cnn.json --force
$cli make-dataset shapes data --seed 1
$cli train shapes.cnn.json --data data --epochs 5
run=$(ls -dt .cnn-studio/runs/*/*/ | head -1)
$cli evaluate "$run" --data data
first_image=$(find data -name '*.png' | sort | head -1)
$cli predict "$run" "$first_image" --top 3
echo "== done: the run is in $work/$run"
