#!/usr/bin/env python3
"""Writes a PyTorch golden file for CnnParity.Testing: one .npz holding everything a port is checked against.

    /usr/bin/python3 torch_golden.py samples/PortCheck/pytorch/lenet5.py:LeNet5 \\
        --input-shape 4,1,28,28 --classes 10 --steps 3 --lr 0.05 --seed 0 --out samples/PortCheck/goldens/lenet5.npz
    /usr/bin/python3 torch_golden.py torchvision.models:resnet18 --kwargs '{"num_classes": 10}' \\
        --input-shape 2,3,64,64 --classes 10 --steps 2 --out resnet18.npz

The module is FILE.py:NAME or an importable PACKAGE.MODULE:NAME (a class or a function), called with --kwargs
after torch.manual_seed(seed). By default it is put in eval() mode (no dropout, running batch-norm statistics:
the same function on every call); with --train-mode it runs in train() mode with every dropout module in eval(),
so that batch norm normalises with the batch's statistics and updates its running statistics on every forward.
It runs on a random input. Keys of the .npz, in this order:

    input, target                     the batch (target: class indices for cross-entropy, else a tensor for MSE)
    state_dict/<name>                 every parameter and buffer, as module.state_dict() names them
    output/<NNN>/<name>               every named submodule's output, NNN = the order the submodules finished
                                      (a module called twice is <name>#2 on its second call)
    loss                              the loss of the output (cross-entropy with --classes, else MSE)
    grad/<name>                       every parameter's gradient of that loss, in named_parameters() order
    step/<k>/loss                     K steps of torch.optim.SGD(lr) on the same batch: the loss before step k
    step/<k>/param/<name>             and every parameter after it
    step/<k>/buffer/<name>            with --train-mode, every buffer after it (running_mean, running_var,
                                      num_batches_tracked): the recorded forward above counts as one batch, so
                                      after step k a batch norm has seen k + 1
    step/<k>/decided_by_rounding      with the shadow: elements of step k's forward outputs that float32 put on
                                      the other side of a ReLU kink than float64 did, within rounding
    shadow/...                        the same output/, loss, grad/ and step/ entries from a float64 copy of the
                                      module (the float32 weights and input promoted exactly): the float64 truth
                                      the float32 results are judged against. --no-shadow leaves it out
    meta/learning_rate, meta/steps    the training settings
    meta/train_mode, meta/shadow      1 or 0
    meta/loss, meta/torch_version     text as uint8 arrays of ASCII bytes (.npy has no portable string type here)

np.savez stores entries with a fixed timestamp, so the same arrays give the same bytes. A model whose output is a
tuple (torchvision's Inception3 with aux_logits in train mode) is judged on its first element.
"""
import argparse
import copy
import importlib
import importlib.util
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def load_factory(spec):
    """'path/to/file.py:Name' or 'package.module:name' -> the class or function."""
    path, _, name = spec.rpartition(":")
    if not path or not name:
        fail(f"module must be FILE.py:NAME or PACKAGE.MODULE:NAME, got {spec!r}")
    try:
        if path.endswith(".py"):
            module_spec = importlib.util.spec_from_file_location("golden_model", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(path)
    except (ImportError, OSError) as e:
        fail(f"cannot load {path}: {e}")
    if not hasattr(module, name):
        fail(f"{path} has no {name}")
    return getattr(module, name)


def fail(message):
    print(f"torch_golden: {message}", file=sys.stderr)
    sys.exit(2)


def text(s):
    return np.frombuffer(s.encode("ascii"), dtype=np.uint8)


def first(output):
    return output[0] if isinstance(output, (tuple, list)) else output


def loss_of(output, target, classes):
    output = first(output)
    return F.cross_entropy(output, target) if classes else F.mse_loss(output, target)


def set_mode(model, train_mode):
    """eval(), or train() with every dropout off: the same function on each call, batch norm on batch statistics."""
    model.train(train_mode)
    for m in model.modules():
        if isinstance(m, nn.modules.dropout._DropoutNd):
            m.eval()
    return model


def record_pass(model, x, target, a):
    """The recorded forward and backward pass: outputs, loss and gradients, keys without prefix."""
    outputs, handles = hook_outputs(model)
    loss = loss_of(model(x), target, a.classes)
    loss.backward()
    for h in handles:
        h.remove()
    arrays = {f"output/{i:03d}/{name}": t for i, (name, t) in enumerate(outputs)}
    arrays["loss"] = loss.detach().clone()
    arrays.update({f"grad/{n}": q.grad.detach().clone() for n, q in model.named_parameters() if q.grad is not None})
    return arrays


def hook_outputs(model):
    """Forward hooks that append (name, a copy of the output) for every named submodule, in the order they finish."""
    outputs, calls = [], {}

    def hook_for(name):
        def hook(_module, _inputs, output):
            if not isinstance(output, torch.Tensor):
                return  # a container returning a tuple; its tensors are recorded by the modules that made them
            calls[name] = calls.get(name, 0) + 1
            outputs.append((name if calls[name] == 1 else f"{name}#{calls[name]}", output.detach().clone()))
        return hook

    return outputs, [m.register_forward_hook(hook_for(n)) for n, m in model.named_modules() if n]


def decided_by_rounding(outputs32, outputs64):
    """Elements where float32 and float64 took different sides of a kink (zero against non-zero, or ReLU6's six)
    within assert_close's float32 tolerance of each other: a ReLU or a clamp that rounding decided."""
    count = 0
    for (_, a), (_, b) in zip(outputs32, outputs64):
        a, b = a.double(), b.double()
        near = (a - b).abs() <= 1e-5 + 1.3e-6 * b.abs()
        count += int((near & (((a == 0) != (b == 0)) | ((a == 6) != (b == 6)))).sum())
    return count


def record(runs, a):
    """The recorded pass of each run (float32, and the float64 shadow), then K SGD steps of all runs in lockstep.

    runs: (model, input, target, key prefix). Every tensor is copied when taken: .grad and the parameters are the
    live tensors the steps change. With a shadow, step/<k>/decided_by_rounding counts the kinks that step's
    float32 forward took otherwise than its float64 forward: a later step's gradient they move is rounding."""
    arrays = {}
    for model, x, target, prefix in runs:
        arrays.update({prefix + k: v for k, v in record_pass(model, x, target, a).items()})
    optimizers = [torch.optim.SGD(model.parameters(), lr=a.lr) for model, _, _, _ in runs]
    for k in range(1, a.steps + 1):
        seen = []
        for (model, x, target, prefix), optimizer in zip(runs, optimizers):
            optimizer.zero_grad()
            outputs, handles = hook_outputs(model) if len(runs) > 1 else ([], [])
            step_loss = loss_of(model(x), target, a.classes)
            for h in handles:
                h.remove()
            step_loss.backward()
            optimizer.step()
            seen.append(outputs)
            arrays[f"{prefix}step/{k}/loss"] = step_loss.detach().clone()
            arrays.update({f"{prefix}step/{k}/param/{n}": q.detach().clone() for n, q in model.named_parameters()})
            if a.train_mode:
                arrays.update({f"{prefix}step/{k}/buffer/{n}": b.detach().clone() for n, b in model.named_buffers()})
        if len(runs) > 1:
            arrays[f"step/{k}/decided_by_rounding"] = np.int64(decided_by_rounding(*seen))
    return arrays


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("module", help="FILE.py:NAME or PACKAGE.MODULE:NAME (a class or function), called with --kwargs")
    p.add_argument("--kwargs", default="{}", help='JSON keyword arguments for it, e.g. \'{"num_classes": 10}\'')
    p.add_argument("--input-shape", required=True, help="e.g. 4,1,28,28")
    p.add_argument("--classes", type=int, default=0, help="cross-entropy targets in [0, classes); 0 for MSE")
    p.add_argument("--steps", type=int, default=3, help="SGD steps recorded (K)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--train-mode", action="store_true",
                   help="train() with dropout off: batch norm on batch statistics, running statistics compared per step")
    p.add_argument("--no-shadow", action="store_true", help="leave out the float64 shadow (shadow/ entries)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    try:
        kwargs = json.loads(a.kwargs)
        shape = [int(d) for d in a.input_shape.split(",")]
    except ValueError as e:
        fail(f"bad --kwargs or --input-shape: {e}")
    if not isinstance(kwargs, dict):
        fail("--kwargs must be a JSON object")
    if a.steps < 0:
        fail("--steps must be 0 or more")

    # One thread and deterministic kernels: the golden must not depend on the machine's core count.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    dtype = getattr(torch, a.dtype)
    torch.manual_seed(a.seed)
    model = set_mode(load_factory(a.module)(**kwargs).to(dtype), a.train_mode)
    # The shadow starts from the same weights and buffers, promoted exactly to float64 (float32 ⊂ float64).
    shadow = None if a.no_shadow or dtype == torch.float64 else set_mode(copy.deepcopy(model).double(), a.train_mode)
    x = torch.randn(*shape, dtype=dtype)
    if a.classes:
        target = torch.randint(a.classes, (x.shape[0],))
    else:
        with torch.no_grad():
            target = torch.randn_like(first(copy.deepcopy(model).eval()(x)))

    arrays = {"input": x, "target": target}
    arrays.update({f"state_dict/{k}": v.detach().clone() for k, v in model.state_dict().items()})
    runs = [(model, x, target, "")]
    if shadow is not None:
        runs.append((shadow, x.double(), target if a.classes else target.double(), "shadow/"))
    arrays.update(record(runs, a))

    arrays["meta/learning_rate"] = np.float64(a.lr)
    arrays["meta/steps"] = np.int64(a.steps)
    arrays["meta/train_mode"] = np.int64(a.train_mode)
    arrays["meta/shadow"] = np.int64(shadow is not None)
    arrays["meta/loss"] = text("cross_entropy" if a.classes else "mse")
    arrays["meta/torch_version"] = text(torch.__version__)
    np.savez(a.out, **{k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in arrays.items()})


if __name__ == "__main__":
    main()
