#!/bin/sh
# Regenerates reference/golden/ with Debian's numpy (see README.md). Usage, from the repository root:
#   reference/make_goldens.sh          the quick goldens (about a minute)
#   reference/make_goldens.sh --long   also the 300-epoch runs (K=4 ~7 min, each K=16 run ~25 min)
set -e
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
REF="$PY reference/cnn_reference.py"
G=reference/golden
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

$PY reference/make_rng_goldens.py "$G/rng"
$PY reference/make_numeric_goldens.py "$G/numeric"

# keep: run.json, log.txt, the batch dumps and the weights named in $2
batches() { # name, files to keep, reference arguments...
    name=$1; keep=$2; shift 2
    $REF --out "$TMP/$name" "$@" > /dev/null
    rm -rf "${G:?}/$name"; mkdir -p "$G/$name"
    cp "$TMP/$name"/run.json "$TMP/$name"/log.txt "$TMP/$name"/batch_*.npz "$G/$name/"
    for f in $keep; do cp "$TMP/$name/$f" "$G/$name/"; done
}
# The real configuration (seed 1, K=4, 26x26, batch 128), first batch; per-image tensors of 16 images.
batches k4_g26_b128 initial_weights.npz --seed 1 --kernels 4 --grid 26 --epochs 1 --test 100 \
    --dump-batches 1 --dump-rows 16
# Every tensor of every batch of two epochs of a small run (K=2: still two kernels to interleave).
batches small_k2_g26 "initial_weights.npz final_weights.npz" --seed 1 --kernels 2 --grid 26 --batch 8 \
    --train 24 --test 100 --epochs 2 --dump-batches 3 --dump-epochs 2
# The book's layout (K=16, 25x25), first batch of 4 images, 2 of them dumped, no dense weights.
batches small_k16_g25 "" --seed 1 --kernels 16 --grid 25 --batch 4 --train 4 --test 50 --epochs 1 \
    --dump-batches 1 --dump-rows 2 --dump-weights none

# The generic engine's presets (spec_reference.py): seed 1, batch 8 of the first 16 images, SGD lr 0.05 with momentum
# 0.9, both steps dumped (every layer's output for 4 images, logits, loss, gradients, weights after each step).
for preset in lenet5 lenet5-relu; do
    rm -rf "${G:?}/spec/$preset"; mkdir -p "$G/spec/$preset"
    $PY reference/spec_reference.py --spec "$preset" --seed 1 --batch 8 --train 16 --test 0 --epochs 1 \
        --lr 0.05 --momentum 0.9 --dump-batches 2 --dump-rows 4 --out "$G/spec/$preset" > /dev/null
done
# One small spec with every layer kind the presets lack: stride 2, sigmoid, overlapping avgpool, dropout, no bias.
EVERY="conv(c=3,k=3,s=2,p=1) sigmoid maxpool(k=2) conv(c=4,k=2,p=1,bias=false) relu avgpool(k=3,s=2) dropout(p=0.25) flatten dense(9) tanh dense(10)"
rm -rf "${G:?}/spec/every-kind"; mkdir -p "$G/spec/every-kind"
$PY reference/spec_reference.py --spec "$EVERY" --seed 1 --batch 8 --train 16 --test 0 --epochs 1 \
    --lr 0.05 --momentum 0.9 --dump-batches 2 --dump-rows 4 --out "$G/spec/every-kind" > /dev/null
# The layer kinds of issue 22, in one small spec: relu6, grouped and depthwise conv, gap, batchnorm (2d and 1d, its buffers dumped).
MODERN="conv(c=4,k=3,s=2) batchnorm relu6 maxpool(k=2) conv(c=8,k=3,g=2) conv(c=8,k=3,p=1,g=8,bias=false) batchnorm(momentum=0.2) gap flatten dense(24) batchnorm relu6 dense(10)"
rm -rf "${G:?}/spec/modern-kinds"; mkdir -p "$G/spec/modern-kinds"
$PY reference/spec_reference.py --spec "$MODERN" --seed 1 --batch 8 --train 16 --test 0 --epochs 1 \
    --lr 0.05 --momentum 0.9 --dump-batches 2 --dump-rows 4 --out "$G/spec/modern-kinds" > /dev/null
# The same spec trained three epochs the way the reports train LeNet-5: shuffled each epoch (the permutation drawn
# from the stream between the masks), the rate halved after each epoch, momentum; the data, orders and final weights.
rm -rf "${G:?}/spec/every-kind-schedule"; mkdir -p "$G/spec/every-kind-schedule"
$PY reference/spec_reference.py --spec "$EVERY" --seed 1 --batch 16 --train 256 --test 64 --epochs 3 \
    --lr 0.1 --momentum 0.9 --shuffle --lr-decay 0.5 --dump-run --out "$G/spec/every-kind-schedule" > /dev/null 2>&1
$PY reference/make_float32_goldens.py "$G/numeric"

if [ "$1" = "--long" ]; then
    mkdir -p "$G/runs"
    for cfg in "4 26" "16 25" "16 26"; do
        set -- $cfg
        name="k$1_g$2_seed1_300"
        $REF --seed 1 --kernels "$1" --grid "$2" --epochs 300 --out "$TMP/$name" > /dev/null
        cp "$TMP/$name/log.txt" "$G/runs/$name.log"
        cp "$TMP/$name/run.json" "$G/runs/$name.json"
        if [ "$1" = 4 ]; then cp "$TMP/$name/final_weights.npz" "$G/runs/${name}_final_weights.npz"; fi
    done
fi
du -sh "$G"
