#!/usr/bin/python3
"""NumPy reference for the Grokking Deep Learning chapter-10 CNN (the seed notebook).

Every line that computes a number is written as the notebook writes it (same expressions, same
RNG call order), so that the C# port in src/CnnParity.Core/Scratch can be checked bit for bit.
Two deliberate departures, neither of which changes a bit of any logit:
  * the test pass is batched (chunks of --test-chunk images) instead of one image at a time;
    every output of a reference-BLAS dgemm is an independent sequential sum, so the logits of an
    image do not depend on which other images share the call (check it with --per-image-test);
  * the position grid is an option (26x26 as in the seed notebook, 25x25 as in the book).

Run with Debian's numpy (reference BLAS):  /usr/bin/python3 reference/cnn_reference.py --help
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np

KERNEL_ROWS, KERNEL_COLS = 3, 3
INPUT_ROWS, INPUT_COLS = 28, 28
NUM_LABELS = 10


def default_data_dir():
    env = os.environ.get("CNNPARITY_DATA")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.normpath(os.path.join(repo, "..", "shared", "data", "mnist"))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)
    if magic == 0x801:
        return np.frombuffer(data, dtype=np.uint8, offset=8)
    raise ValueError(f"{path}: bad IDX magic {magic:#x}")


def load_mnist(data_dir, n_train, n_test):
    x_train = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))
    y_train = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))
    x_test = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz"))
    y_test = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))

    # As the notebook: uint8 / 255 is a float64 true division, one-hot labels by a loop.
    images, labels = (x_train[0:n_train].reshape(n_train, 28 * 28) / 255, y_train[0:n_train])
    one_hot_labels = np.zeros((len(labels), 10))
    for i, l in enumerate(labels):
        one_hot_labels[i][l] = 1
    labels = one_hot_labels

    x_test, y_test = x_test[0:n_test], y_test[0:n_test]
    test_images = x_test.reshape(len(x_test), 28 * 28) / 255
    test_labels = np.zeros((len(y_test), 10))
    for i, l in enumerate(y_test):
        test_labels[i][l] = 1
    return images, labels, test_images, test_labels


def tanh(x):
    return np.tanh(x)


def tanh2deriv(output):
    return 1 - (output ** 2)


def softmax(x):
    temp = np.exp(x)
    return temp / np.sum(temp, axis=1, keepdims=True)


def get_image_section(layer, row_from, row_to, col_from, col_to):
    section = layer[:, row_from:row_to, col_from:col_to]
    return section.reshape(-1, 1, row_to - row_from, col_to - col_from)


def im2col(layer_0, grid):
    """The notebook's sects loop: positions row-major, each 3x3 section flattened row-major."""
    sects = list()
    for row_start in range(grid):
        for col_start in range(grid):
            sect = get_image_section(layer_0, row_start, row_start + KERNEL_ROWS,
                                     col_start, col_start + KERNEL_COLS)
            sects.append(sect)
    expanded_input = np.concatenate(sects, axis=1)
    es = expanded_input.shape
    flattened_input = expanded_input.reshape(es[0] * es[1], -1)
    return flattened_input, es


def test_logits(images, kernels, weights_1_2, grid):
    """Forward pass without dropout and without softmax, as the notebook's test loop."""
    layer_0 = images.reshape(images.shape[0], 28, 28)
    flattened_input, es = im2col(layer_0, grid)
    kernel_output = flattened_input.dot(kernels)
    layer_1 = tanh(kernel_output.reshape(es[0], -1))
    return np.dot(layer_1, weights_1_2)


def count_test_correct(test_images, test_labels, kernels, weights_1_2, grid, chunk, per_image):
    test_correct_cnt = 0
    if per_image:
        for i in range(len(test_images)):
            layer_2 = test_logits(test_images[i:i + 1], kernels, weights_1_2, grid)
            test_correct_cnt += int(np.argmax(layer_2) == np.argmax(test_labels[i:i + 1]))
        return test_correct_cnt
    for start in range(0, len(test_images), chunk):
        layer_2 = test_logits(test_images[start:start + chunk], kernels, weights_1_2, grid)
        test_correct_cnt += int(np.sum(np.argmax(layer_2, axis=1) ==
                                       np.argmax(test_labels[start:start + chunk], axis=1)))
    return test_correct_cnt


def log_line(j, test_acc, train_acc):
    return "I: " + str(j) + " | Test-Acc: " + str(round(test_acc, 5)) + \
           " | Train-Acc: " + str(round(train_acc, 5))


def save(out_dir, name, **arrays):
    np.savez_compressed(os.path.join(out_dir, name), **{k: np.ascontiguousarray(v) for k, v in arrays.items()})


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kernels", type=int, default=4, help="num_kernels (seed notebook 4, book 16)")
    p.add_argument("--grid", type=int, default=26, choices=[25, 26],
                   help="positions per side: 26 = range(28-3+1) (seed notebook), 25 = range(28-3) (book)")
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--alpha", type=float, default=2)
    p.add_argument("--train", type=int, default=1000, help="first N training images")
    p.add_argument("--test", type=int, default=10000, help="first N test images")
    p.add_argument("--data", default=default_data_dir())
    p.add_argument("--out", default=None, help="directory for log.txt, weights and dumps")
    p.add_argument("--dump-batches", type=int, default=0,
                   help="dump every intermediate tensor of the first N batches of each dumped epoch")
    p.add_argument("--dump-epochs", type=int, default=1, help="dump batches of the first M epochs")
    p.add_argument("--dump-rows", type=int, default=0,
                   help="keep only the first R images of the per-image tensors in dumps (0 = all); "
                        "weights, updates, the mask and layer_2 are always whole")
    p.add_argument("--dump-weights", choices=["none", "update", "all"], default="update",
                   help="weights_1_2 arrays in dumps: none, the update only (default), or also before/after "
                        "(the kernels are always dumped; initial/final weights are in their own files)")
    p.add_argument("--test-chunk", type=int, default=1000, help="images per batched test call")
    p.add_argument("--per-image-test", action="store_true", help="the notebook's one-image test loop")
    args = p.parse_args(argv)
    alpha = int(args.alpha) if float(args.alpha).is_integer() else args.alpha  # the notebook's int 2

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        write_run_info(args.out, args)
    images, labels, test_images, test_labels = load_mnist(args.data, args.train, args.test)

    np.random.seed(args.seed)
    batch_size = args.batch
    num_kernels = args.kernels
    grid = args.grid
    hidden_size = grid * grid * num_kernels

    kernels = 0.02 * np.random.random((KERNEL_ROWS * KERNEL_COLS, num_kernels)) - 0.01
    weights_1_2 = 0.2 * np.random.random((hidden_size, NUM_LABELS)) - 0.1
    if args.out:
        save(args.out, "initial_weights.npz", kernels=kernels, weights_1_2=weights_1_2)

    log = open(os.path.join(args.out, "log.txt"), "w") if args.out else None
    metrics = []
    for j in range(args.epochs):
        t0 = time.perf_counter()
        correct_cnt = 0
        for i in range(int(len(images) / batch_size)):
            batch_start, batch_end = ((i * batch_size), ((i + 1) * batch_size))
            layer_0 = images[batch_start:batch_end]
            layer_0 = layer_0.reshape(layer_0.shape[0], 28, 28)
            dump = args.out and j < args.dump_epochs and i < args.dump_batches
            if dump:
                kernels_before, weights_before = kernels.copy(), weights_1_2.copy()

            flattened_input, es = im2col(layer_0, grid)
            kernel_output = flattened_input.dot(kernels)
            layer_1 = tanh(kernel_output.reshape(es[0], -1))
            if dump:
                layer_1_tanh = layer_1.copy()
            dropout_mask = np.random.randint(2, size=layer_1.shape)
            layer_1 *= dropout_mask * 2
            layer_2 = softmax(np.dot(layer_1, weights_1_2))

            for k in range(batch_size):
                labelset = labels[batch_start + k:batch_start + k + 1]
                _inc = int(np.argmax(layer_2[k:k + 1]) == np.argmax(labelset))
                correct_cnt += _inc

            layer_2_delta = (labels[batch_start:batch_end] - layer_2) / (batch_size * layer_2.shape[0])
            layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1)
            layer_1_delta *= dropout_mask
            weights_update = alpha * layer_1.T.dot(layer_2_delta)
            weights_1_2 += weights_update
            l1d_reshape = layer_1_delta.reshape(kernel_output.shape)
            k_update = flattened_input.T.dot(l1d_reshape)
            kernels -= alpha * k_update

            if dump:
                r = args.dump_rows or batch_size
                p_ = es[1]  # positions per image
                tensors = dict(
                    kernels_before=kernels_before,
                    layer_0=layer_0[:r], flattened_input=flattened_input[:r * p_],
                    kernel_output=kernel_output[:r * p_], layer_1_tanh=layer_1_tanh[:r],
                    dropout_mask=dropout_mask.astype(np.uint8), layer_1=layer_1[:r],
                    layer_2=layer_2, layer_2_delta=layer_2_delta, layer_1_delta=layer_1_delta[:r],
                    k_update=k_update, kernels_after=kernels)
                if args.dump_weights != "none":
                    tensors["weights_1_2_update"] = weights_update
                if args.dump_weights == "all":
                    tensors["weights_1_2_before"] = weights_before
                    tensors["weights_1_2_after"] = weights_1_2
                save(args.out, f"batch_e{j}_b{i}.npz", **tensors)

        t1 = time.perf_counter()
        test_correct_cnt = count_test_correct(test_images, test_labels, kernels, weights_1_2, grid,
                                              args.test_chunk, args.per_image_test)
        t2 = time.perf_counter()
        test_acc = test_correct_cnt / float(len(test_images))
        train_acc = correct_cnt / float(len(images))
        line = log_line(j, test_acc, train_acc)
        print(line, flush=True)
        if log:
            log.write(line + "\n")
            log.flush()
        metrics.append({"epoch": j, "test_correct": test_correct_cnt, "train_correct": correct_cnt,
                        "train_seconds": t1 - t0, "test_seconds": t2 - t1})
        print(f"epoch {j}: train {t1 - t0:.3f} s, test {t2 - t1:.3f} s", file=sys.stderr, flush=True)

    if args.out:
        log.close()
        save(args.out, "final_weights.npz", kernels=kernels, weights_1_2=weights_1_2)
        with open(os.path.join(args.out, "metrics.json"), "w") as f:
            json.dump({"epochs": metrics}, f, indent=1)


def loaded_blas():
    """The BLAS shared objects this process actually mapped (Debian picks one through alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return sorted(os.path.realpath(p) for p in paths)
    except OSError:
        return []


def write_run_info(out_dir, args):
    """The configuration of a run and the NumPy that ran it (no paths, no timings: a golden file)."""
    from numpy.core._multiarray_umath import __cpu_features__
    config = {k: getattr(args, k) for k in ("seed", "kernels", "grid", "epochs", "batch", "alpha", "train", "test")}
    info = {"config": config, "numpy": np.__version__,
            "blas_libraries": loaded_blas(),
            "cpu_features": sorted(k for k, v in __cpu_features__.items() if v)}
    with open(os.path.join(out_dir, "run.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
