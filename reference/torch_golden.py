#!/usr/bin/env python3
"""Writes a PyTorch golden file for CnnParity.Testing: one .npz holding everything a port is checked against.

    /usr/bin/python3 reference/torch_golden.py samples/PortCheck/pytorch/lenet5.py:LeNet5 \\
        --input-shape 4,1,28,28 --classes 10 --steps 3 --lr 0.05 --seed 0 --out samples/PortCheck/goldens/lenet5.npz

The module is built after torch.manual_seed(seed), put in eval() mode (no dropout, running batch-norm
statistics: the same function on every call), and run on a random input. Keys of the .npz, in this order:

    input, target                     the batch (target: class indices for cross-entropy, else a tensor for MSE)
    state_dict/<name>                 every parameter and buffer, as module.state_dict() names them
    output/<NNN>/<name>               every named submodule's output, NNN = the order the submodules finished
                                      (a module called twice is <name>#2 on its second call)
    loss                              the loss of the output (cross-entropy with --classes, else MSE)
    grad/<name>                       every parameter's gradient of that loss, in named_parameters() order
    step/<k>/loss                     K steps of torch.optim.SGD(lr) on the same batch: the loss before step k
    step/<k>/param/<name>             and every parameter after it
    meta/learning_rate, meta/steps    the training settings
    meta/loss, meta/torch_version     text as uint8 arrays of ASCII bytes (.npy has no portable string type here)

np.savez stores entries with a fixed timestamp, so the same arrays give the same bytes.
"""
import argparse
import importlib.util

import numpy as np
import torch
import torch.nn.functional as F


def load_class(spec):
    """'path/to/file.py:ClassName' -> the class."""
    path, _, name = spec.rpartition(":")
    if not path or not name:
        raise SystemExit(f"torch_golden: module must be FILE.py:CLASS, got {spec!r}")
    module_spec = importlib.util.spec_from_file_location("golden_model", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, name)


def text(s):
    return np.frombuffer(s.encode("ascii"), dtype=np.uint8)


def loss_of(output, target, classes):
    return F.cross_entropy(output, target) if classes else F.mse_loss(output, target)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("module", help="FILE.py:CLASS, constructed without arguments")
    p.add_argument("--input-shape", required=True, help="e.g. 4,1,28,28")
    p.add_argument("--classes", type=int, default=0, help="cross-entropy targets in [0, classes); 0 for MSE")
    p.add_argument("--steps", type=int, default=3, help="SGD steps recorded (K)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    # One thread and deterministic kernels: the golden must not depend on the machine's core count.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    dtype = getattr(torch, a.dtype)
    torch.manual_seed(a.seed)
    model = load_class(a.module)().to(dtype).eval()
    x = torch.randn(*[int(d) for d in a.input_shape.split(",")], dtype=dtype)
    if a.classes:
        target = torch.randint(a.classes, (x.shape[0],))
    else:
        with torch.no_grad():
            target = torch.randn_like(model(x))

    # Every tensor is copied when taken: state_dict() and .grad are the live tensors the SGD steps below change.
    arrays = {"input": x, "target": target}
    arrays.update({f"state_dict/{k}": v.detach().clone() for k, v in model.state_dict().items()})

    outputs, calls = [], {}

    def record(name):
        def hook(_module, _inputs, output):
            calls[name] = calls.get(name, 0) + 1
            outputs.append((name if calls[name] == 1 else f"{name}#{calls[name]}", output.detach().clone()))
        return hook

    handles = [m.register_forward_hook(record(n)) for n, m in model.named_modules() if n]
    loss = loss_of(model(x), target, a.classes)
    loss.backward()
    for h in handles:
        h.remove()
    arrays.update({f"output/{i:03d}/{name}": t for i, (name, t) in enumerate(outputs)})
    arrays["loss"] = loss.detach().clone()
    arrays.update({f"grad/{n}": q.grad.detach().clone() for n, q in model.named_parameters()})

    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr)
    for k in range(1, a.steps + 1):
        optimizer.zero_grad()
        step_loss = loss_of(model(x), target, a.classes)
        step_loss.backward()
        optimizer.step()
        arrays[f"step/{k}/loss"] = step_loss.detach().clone()
        arrays.update({f"step/{k}/param/{n}": q.detach().clone() for n, q in model.named_parameters()})

    arrays["meta/learning_rate"] = np.float64(a.lr)
    arrays["meta/steps"] = np.int64(a.steps)
    arrays["meta/loss"] = text("cross_entropy" if a.classes else "mse")
    arrays["meta/torch_version"] = text(torch.__version__)
    np.savez(a.out, **{k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in arrays.items()})


if __name__ == "__main__":
    main()
