#!/usr/bin/python3
"""NumPy reference for the generic from-scratch engine (src/CnnParity.Core/Engines): any spec of the
`cnnparity arch` grammar (or the presets lenet5, lenet5-relu), trained with SGD and momentum on MNIST.

Every sum is written as a loop over its terms in the engine's order, each step an elementwise NumPy
operation over all the outputs at once (exact IEEE products and sums, no BLAS, no np.dot/einsum), so
the C# float64 engine can be checked bit for bit. The orders (each output one sequential sum from +0):

  conv     out[b,o,y,x]  = sum over (c, ky, kx) of w[o,c,ky,kx]*in[b,c,y*s+ky-p,x*s+kx-p]   then + bias[o]
           (with g groups every sum over c or o runs over the channels of the output's group only)
           dIn[b,c,i,j]  = sum over (o, ky, kx) of w[o,c,ky,kx]*dOut[b,o,(i+p-ky)/s,(j+p-kx)/s]
           dW[o,c,ky,kx] = sum over (b, y, x)  of dOut[b,o,y,x]*in[b,c,y*s+ky-p,x*s+kx-p]
           dBias[o]      = sum over (b, y, x)  of dOut[b,o,y,x]
  dense    out[b,j] = sum over i of x[b,i]*w[j,i] then + bias[j];  dX[b,i] = sum over j of dOut[b,j]*w[j,i]
           dW[j,i]  = sum over b of dOut[b,j]*x[b,i];               dBias[j] = sum over b of dOut[b,j]
  gap      out = (sum over (i, j) of the plane) / (H*W);  dIn = dOut/(H*W)
  batchnorm  per channel over (b, i) in order: mean = sum/N, vs = sum of (x-mean)^2, invstd = 1/sqrt(vs/N + eps)
           (training; running_mean/var in eval); y = x*alpha + (beta - mean*alpha), alpha = invstd*gamma; running
           stats m*mean + (1-m)*running and m*vs/(N-1) + (1-m)*running; backward: sumdy, dotp = sum (x-mean)*dy,
           k = dotp*invstd*invstd/N, dx = (dy - (x-mean)*k - sumdy/N)*invstd*gamma; dgamma = dotp*invstd, dbeta = sumdy
  avgpool  out = (sum over (ky, kx) of the window) / (k*k);  dIn = sum over windows (y, x) in order of dOut/(k*k)
  maxpool  out = the window's first maximum in (ky, kx) order (a NaN wins);  dIn = sum over windows (y, x) in
           order of dOut at their argmax
  tanh     np.tanh; dIn = dOut*(1 - y*y)       relu  y = x if x > 0 (or NaN) else 0; dIn = dOut if y > 0 else 0
  sigmoid  1/(1 + np.exp(-x)); dIn = dOut*(1 - y)*y          dropout  y = x*mask, dIn = dOut*mask
  relu6    y = 6 if x >= 6, 0 if x < 0, else x (-0 and NaN pass, as clamp); dIn = dOut if 0 < y < 6 else 0
  loss     m = max z; s = sum over j of exp(z[j] - m); loss_b = -((z[label] - m) - log(s));
           loss = (sum over b of loss_b) / B;  dz[j] = (exp(z[j] - m)/s - [j == label]) / B
  SGD      torch.optim.SGD, dampening 0: buf = g on the first step, then buf = momentum*buf + g; p = p - lr*buf

Terms whose input position is padding (or whose output position does not exist) are +-0 and change no
bit of a sum that starts at +0, so the loops below add the zeros of padded arrays where convenient.

Initial weights: np.random.RandomState(seed), for each parameter in state_dict order
(2 * rs.random_sample(shape) - 1) / np.sqrt(fan_in); then per batch, for each dropout layer in order,
mask = (rs.random_sample((B,) + shape) >= p) / (1 - p). Batches in file order, or with --shuffle
order = rs.permutation(train) at the top of each epoch, before that epoch's masks; the remainder that does not
fill a batch is not trained. --lr-decay G multiplies the rate by G after each epoch (torch's ExponentialLR).

Run with Debian's numpy:  /usr/bin/python3 reference/spec_reference.py --help
"""
import argparse
import json
import os
import re
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnn_reference import default_data_dir, read_idx, loaded_blas  # noqa: E402

PRESETS = {
    "lenet5": "conv(c=6,k=5,p=2) tanh avgpool(k=2) conv(c=16,k=5) tanh avgpool(k=2) flatten "
              "dense(120) tanh dense(84) tanh dense(10)",
    "lenet5-relu": "conv(c=6,k=5,p=2) relu maxpool(k=2) conv(c=16,k=5) relu maxpool(k=2) flatten "
                   "dense(120) relu dense(84) relu dense(10)",
}


# ---------------------------------------------------------------------------------------------- the spec

def parse_spec(text):
    """Layers as dicts with kind, name (conv1, tanh2, flatten, dense3...) and options; shapes inferred."""
    text = PRESETS.get(text.strip(), text)
    layers, counts = [], {}
    shape = (1, 28, 28)
    for token in text.split():
        m = re.fullmatch(r"([a-z][a-z0-9]*)(?:\((.*)\))?", token)
        if not m:
            raise SystemExit(f"spec_reference: cannot read layer '{token}'")
        kind, raw = m.group(1), m.group(2)
        args, positional = {}, []
        for part in (raw.split(",") if raw else []):
            if "=" in part:
                key, value = part.split("=", 1)
                args[key] = value
            else:
                positional.append(part)
        counts[kind] = counts.get(kind, 0) + 1
        # conv1, tanh2; a kind that ends in a digit takes an underscore (relu6_1), as ArchitectureSpec names it
        name = kind if kind in ("flatten", "gap") else f"{kind}_{counts[kind]}" if kind[-1].isdigit() else f"{kind}{counts[kind]}"
        layer = {"kind": kind, "name": name, "input": shape}
        if kind == "conv":
            c, h, w = shape
            layer.update(o=int(args["c"]), k=int(args["k"]), s=int(args.get("s", 1)), p=int(args.get("p", 0)),
                         g=int(args.get("g", 1)), bias=args.get("bias", "true") == "true")
            ho = (h + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
            wo = (w + 2 * layer["p"] - layer["k"]) // layer["s"] + 1
            shape = (layer["o"], ho, wo)
        elif kind in ("maxpool", "avgpool"):
            c, h, w = shape
            layer.update(k=int(args["k"]), s=int(args.get("s", args["k"])))
            shape = (c, (h - layer["k"]) // layer["s"] + 1, (w - layer["k"]) // layer["s"] + 1)
        elif kind == "dropout":
            layer.update(p=float(args["p"]))
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "gap":
            shape = (shape[0], 1, 1)
        elif kind == "batchnorm":
            if not any(prev["kind"] in ("conv", "dense") for prev in layers):
                raise SystemExit("spec_reference: batchnorm needs a conv or dense layer before it")
            layer.update(eps=float(args.get("eps", 1e-5)), momentum=float(args.get("momentum", 0.1)),
                         running_mean=np.zeros(shape[0]), running_var=np.ones(shape[0]), num_batches_tracked=0)
        elif kind == "dense":
            layer.update(n=int(positional[0]), bias=args.get("bias", "true") == "true")
            shape = (layer["n"],)
        elif kind not in ("tanh", "relu", "relu6", "sigmoid"):
            raise SystemExit(f"spec_reference: unknown layer '{kind}'")
        layer["output"] = shape
        layers.append(layer)
    return layers


def parameters_of(layers):
    """(name, shape, fan_in) in state_dict order: layer by layer, weight before bias."""
    result = []
    for layer in layers:
        if layer["kind"] == "conv":
            c = layer["input"][0] // layer["g"]  # the weight is (out, in/groups, k, k), as PyTorch's
            fan_in = c * layer["k"] * layer["k"]
            result.append((layer["name"] + ".weight", (layer["o"], c, layer["k"], layer["k"]), fan_in))
            if layer["bias"]:
                result.append((layer["name"] + ".bias", (layer["o"],), fan_in))
        elif layer["kind"] == "batchnorm":
            result.append((layer["name"] + ".weight", (layer["input"][0],), None))
            result.append((layer["name"] + ".bias", (layer["input"][0],), None))
        elif layer["kind"] == "dense":
            fan_in = layer["input"][0]
            result.append((layer["name"] + ".weight", (layer["n"], fan_in), fan_in))
            if layer["bias"]:
                result.append((layer["name"] + ".bias", (layer["n"],), fan_in))
    return result


def initialize(layers, rs):
    params = {}
    for name, shape, fan_in in parameters_of(layers):
        if fan_in is None:  # batch norm: weight 1, bias 0, nothing drawn
            params[name] = np.ones(shape) if name.endswith(".weight") else np.zeros(shape)
            continue
        bound = 1 / np.sqrt(fan_in)
        params[name] = (2 * rs.random_sample(shape) - 1) * bound
    return params


def draw_masks(layers, batch, rs):
    return {layer["name"]: (rs.random_sample((batch,) + layer["output"]) >= layer["p"]) / (1 - layer["p"])
            for layer in layers if layer["kind"] == "dropout"}


# ---------------------------------------------------------------------------------------------- layers

def window(start, s, count):
    """The slice start, start+s, ..., count of them (the positions one kernel offset reads)."""
    return slice(start, start + s * (count - 1) + 1, s)


def conv_forward(L, x, params):
    w = params[L["name"] + ".weight"]
    o, k, s, p, g = L["o"], L["k"], L["s"], L["p"], L["g"]
    cg, og = x.shape[1] // g, o // g  # with groups, output channel oi sees the cg input channels of group oi // og
    _, ho, wo = L["output"]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    out = np.zeros((x.shape[0], o, ho, wo))
    for gi in range(g):
        outs = slice(gi * og, (gi + 1) * og)
        for ci in range(cg):
            for ky in range(k):
                for kx in range(k):
                    out[:, outs] += w[None, outs, ci, ky, kx, None, None] * \
                        xp[:, None, gi * cg + ci, window(ky, s, ho), window(kx, s, wo)]
    if L["bias"]:
        out = out + params[L["name"] + ".bias"][None, :, None, None]
    return out


def conv_backward(L, x, dout, params, grads, need_input):
    w = params[L["name"] + ".weight"]
    o, k, s, p, g = L["o"], L["k"], L["s"], L["p"], L["g"]
    b, c, h, wi = x.shape
    cg, og = c // g, o // g
    _, ho, wo = L["output"]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dw = np.zeros(w.shape)
    db = np.zeros(o)
    for bi in range(b):
        for y in range(ho):
            for xo in range(wo):
                d = dout[bi, :, y, xo]
                for gi in range(g):
                    outs = slice(gi * og, (gi + 1) * og)
                    dw[outs] += d[outs, None, None, None] * xp[None, bi, gi * cg:(gi + 1) * cg, y * s:y * s + k, xo * s:xo * s + k]
                db += d
    grads[L["name"] + ".weight"] = dw
    if L["bias"]:
        grads[L["name"] + ".bias"] = db
    if not need_input:
        return None
    # dIn gathered over (o, ky, kx) in order, in a padded array (its border is dropped).
    dxp = np.zeros((b, c, h + 2 * p, wi + 2 * p))
    for oi in range(o):
        ins = slice(oi // og * cg, (oi // og + 1) * cg)  # the input channels of oi's group
        for ky in range(k):
            for kx in range(k):
                dxp[:, ins, window(ky, s, ho), window(kx, s, wo)] += \
                    w[None, oi, :, ky, kx, None, None] * dout[:, oi, None, :, :]
    return dxp[:, :, p:p + h, p:p + wi]


def dense_forward(L, x, params):
    w = params[L["name"] + ".weight"]
    out = np.zeros((x.shape[0], L["n"]))
    for i in range(x.shape[1]):
        out += x[:, i, None] * w[None, :, i]
    if L["bias"]:
        out = out + params[L["name"] + ".bias"][None, :]
    return out


def dense_backward(L, x, dout, params, grads, need_input):
    w = params[L["name"] + ".weight"]
    dw = np.zeros(w.shape)
    db = np.zeros(L["n"])
    for bi in range(x.shape[0]):
        dw += dout[bi, :, None] * x[bi, None, :]
        db += dout[bi]
    grads[L["name"] + ".weight"] = dw
    if L["bias"]:
        grads[L["name"] + ".bias"] = db
    if not need_input:
        return None
    dx = np.zeros(x.shape)
    for j in range(L["n"]):
        dx += dout[:, j, None] * w[None, j, :]
    return dx


def avgpool_forward(L, x):
    k, s = L["k"], L["s"]
    _, ho, wo = L["output"]
    acc = np.zeros(x.shape[:2] + (ho, wo))
    for ky in range(k):
        for kx in range(k):
            acc += x[:, :, window(ky, s, ho), window(kx, s, wo)]
    return acc / (k * k)


def avgpool_backward(L, x, dout):
    k, s = L["k"], L["s"]
    _, ho, wo = L["output"]
    share = dout / (k * k)
    dx = np.zeros(x.shape)
    for y in range(ho):  # windows in order, so an input shared by two windows sums them in that order
        for xo in range(wo):
            dx[:, :, y * s:y * s + k, xo * s:xo * s + k] += share[:, :, y, xo, None, None]
    return dx


def gap_forward(x):
    """AdaptiveAvgPool2d(1): each plane's sum over (i, j) in order, over H*W."""
    h, w = x.shape[2], x.shape[3]
    acc = np.zeros(x.shape[:2] + (1, 1))
    for i in range(h):
        for j in range(w):
            acc[:, :, 0, 0] += x[:, :, i, j]
    return acc / (h * w)


def batchnorm_stats(x3):
    """Per channel of x3 (B, C, P): the mean, then the sum of squared deviations, each over (b, i) in order."""
    b, c, p = x3.shape
    s = np.zeros(c)
    for bi in range(b):
        for i in range(p):
            s += x3[bi, :, i]
    mean = s / (b * p)
    vs = np.zeros(c)
    for bi in range(b):
        for i in range(p):
            d = x3[bi, :, i] - mean
            vs += d * d
    return mean, vs, b * p


def batchnorm_mean_invstd(L, x3, training):
    if training:
        mean, vs, n = batchnorm_stats(x3)
        return mean, 1 / np.sqrt(vs / n + L["eps"]), vs, n
    return L["running_mean"], 1 / np.sqrt(L["running_var"] + L["eps"]), None, x3.shape[0] * x3.shape[2]


def batchnorm_forward(L, x, params, training):
    """BatchNorm2d/1d as LibTorch's CPU kernel: y = x*alpha + (beta - mean*alpha), alpha = invstd*gamma; running stats updated."""
    x3 = x.reshape(x.shape[0], x.shape[1], -1)
    mean, invstd, vs, n = batchnorm_mean_invstd(L, x3, training)
    if training:
        m = L["momentum"]
        L["running_mean"] = m * mean + (1 - m) * L["running_mean"]
        L["running_var"] = m * (vs / (n - 1)) + (1 - m) * L["running_var"]
        L["num_batches_tracked"] += 1
    alpha = invstd * params[L["name"] + ".weight"]
    beta = params[L["name"] + ".bias"] - mean * alpha
    return (x3 * alpha[None, :, None] + beta[None, :, None]).reshape(x.shape)


def batchnorm_backward(L, x, dout, params, grads, training):
    x3, dy = x.reshape(x.shape[0], x.shape[1], -1), dout.reshape(x.shape[0], x.shape[1], -1)
    mean, invstd, _, n = batchnorm_mean_invstd(L, x3, training)
    c = x3.shape[1]
    sumdy, dotp = np.zeros(c), np.zeros(c)
    for bi in range(x3.shape[0]):
        for i in range(x3.shape[2]):
            sumdy += dy[bi, :, i]
            dotp += (x3[bi, :, i] - mean) * dy[bi, :, i]
    gamma = params[L["name"] + ".weight"]
    grads[L["name"] + ".weight"] = dotp * invstd
    grads[L["name"] + ".bias"] = sumdy
    if not training:
        return (dy * (invstd * gamma)[None, :, None]).reshape(x.shape)
    k = dotp * invstd * invstd / n
    gm = sumdy / n
    dx = (dy - (x3 - mean[None, :, None]) * k[None, :, None] - gm[None, :, None]) * invstd[None, :, None] * gamma[None, :, None]
    return dx.reshape(x.shape)


def maxpool_argmax(L, x):
    """Per output, the (ky, kx) of its window's first maximum (a NaN wins, as PyTorch)."""
    k, s = L["k"], L["s"]
    _, ho, wo = L["output"]
    best = x[:, :, window(0, s, ho), window(0, s, wo)].copy()
    arg = np.zeros(best.shape, dtype=np.int64)
    for ky in range(k):
        for kx in range(k):
            v = x[:, :, window(ky, s, ho), window(kx, s, wo)]
            take = (v > best) | np.isnan(v)
            best = np.where(take, v, best)
            arg = np.where(take, ky * k + kx, arg)
    return best, arg


def maxpool_backward(L, x, dout):
    k, s = L["k"], L["s"]
    _, ho, wo = L["output"]
    _, arg = maxpool_argmax(L, x)
    dx = np.zeros(x.shape)
    bb, cc = np.meshgrid(np.arange(x.shape[0]), np.arange(x.shape[1]), indexing="ij")
    for y in range(ho):
        for xo in range(wo):
            a = arg[:, :, y, xo]
            dx[bb, cc, y * s + a // k, xo * s + a % k] += dout[:, :, y, xo]
    return dx


def forward(layers, params, images, masks):
    """Every layer's output, in order (the input first)."""
    acts = [images.reshape(images.shape[0], 1, 28, 28)]
    for L in layers:
        x = acts[-1]
        kind = L["kind"]
        if kind == "conv":
            y = conv_forward(L, x, params)
        elif kind == "dense":
            y = dense_forward(L, x, params)
        elif kind == "avgpool":
            y = avgpool_forward(L, x)
        elif kind == "gap":
            y = gap_forward(x)
        elif kind == "batchnorm":
            y = batchnorm_forward(L, x, params, masks is not None)
        elif kind == "maxpool":
            y = maxpool_argmax(L, x)[0]
        elif kind == "tanh":
            y = np.tanh(x)
        elif kind == "relu":
            y = np.where((x > 0) | np.isnan(x), x, 0.0)
        elif kind == "relu6":
            y = np.where(x >= 6, 6.0, np.where(x < 0, 0.0, x))
        elif kind == "sigmoid":
            y = 1 / (1 + np.exp(-x))
        elif kind == "dropout":
            y = x * masks[L["name"]] if masks is not None else x
        elif kind == "flatten":
            y = x.reshape(x.shape[0], -1)
        acts.append(y)
    return acts


def softmax_cross_entropy(z, labels):
    """The mean loss and its gradient with respect to the logits."""
    b, classes = z.shape
    m = np.max(z, axis=1)
    e = np.exp(z - m[:, None])
    s = np.zeros(b)
    for j in range(classes):
        s += e[:, j]
    losses = -((z[np.arange(b), labels] - m) - np.log(s))
    total = 0.0
    for bi in range(b):
        total += losses[bi]
    onehot = np.zeros((b, classes))
    onehot[np.arange(b), labels] = 1
    dz = (e / s[:, None] - onehot) / b
    return total / b, dz


def backward(layers, params, acts, labels, masks):
    loss, d = softmax_cross_entropy(acts[-1], labels)
    grads = {}
    for li in range(len(layers) - 1, -1, -1):
        L, x, y = layers[li], acts[li], acts[li + 1]
        need = li > 0
        kind = L["kind"]
        if kind == "conv":
            d = conv_backward(L, x, d, params, grads, need)
        elif kind == "dense":
            d = dense_backward(L, x, d, params, grads, need)
        elif kind == "avgpool":
            d = avgpool_backward(L, x, d)
        elif kind == "batchnorm":
            d = batchnorm_backward(L, x, d, params, grads, masks is not None)
        elif kind == "gap":
            d = np.broadcast_to(d / (x.shape[2] * x.shape[3]), x.shape).copy()
        elif kind == "maxpool":
            d = maxpool_backward(L, x, d)
        elif kind == "tanh":
            d = d * (1 - y * y)
        elif kind == "relu":
            d = np.where(y > 0, d, 0.0)
        elif kind == "relu6":
            d = np.where((y > 0) & (y < 6), d, 0.0)
        elif kind == "sigmoid":
            d = d * (1 - y) * y
        elif kind == "dropout":
            d = d * masks[L["name"]] if masks is not None else d
        elif kind == "flatten":
            d = d.reshape(x.shape)
    return loss, grads


class Sgd:
    """torch.optim.SGD with dampening 0, no Nesterov, no weight decay."""

    def __init__(self, lr, momentum):
        self.lr, self.momentum, self.buffers = lr, momentum, None

    def step(self, params, grads):
        if self.momentum == 0:
            for name in params:
                params[name] = params[name] - self.lr * grads[name]
            return
        if self.buffers is None:
            self.buffers = {name: grads[name].copy() for name in params}
        else:
            for name in params:
                self.buffers[name] = self.momentum * self.buffers[name] + grads[name]
        for name in params:
            params[name] = params[name] - self.lr * self.buffers[name]


# ---------------------------------------------------------------------------------------------- the run

def exp_kernel():
    """Which float64 np.exp this NumPy runs: Intel SVML (AVX512_SKX builds) or glibc's exp, told apart by values."""
    import math
    x = np.linspace(-20, 20, 4001)
    return "libm" if all(np.exp(x) == np.array([math.exp(v) for v in x])) else "svml"


def write_run_info(out_dir, args, layers):
    from numpy.core._multiarray_umath import __cpu_features__
    config = {k: getattr(args, k) for k in ("spec", "seed", "batch", "train", "test", "epochs", "lr", "momentum",
                                            "shuffle", "lr_decay", "dump_batches", "dump_rows")}
    info = {"config": config, "layers": [L["name"] for L in layers], "numpy": np.__version__,
            "blas_libraries": loaded_blas(), "exp_kernel": exp_kernel(),
            "cpu_features": sorted(k for k, v in __cpu_features__.items() if v)}
    with open(os.path.join(out_dir, "run.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", default="lenet5", help="a preset (lenet5, lenet5-relu) or a spec text")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--train", type=int, default=60000, help="first N training images")
    ap.add_argument("--test", type=int, default=10000, help="first N test images")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--data", default=default_data_dir())
    ap.add_argument("--out", default=None, help="directory for run.json, log.txt and the batch dumps")
    ap.add_argument("--dump-batches", type=int, default=0,
                    help="dump the first N batches of the first epoch: step_b{i}.npz with the batch's pixels "
                         "and labels, masks, every layer's output, logits, loss, gradients, weights after the step")
    ap.add_argument("--dump-rows", type=int, default=0, help="keep the first R images of each layer output (0 = all)")
    ap.add_argument("--shuffle", action="store_true",
                    help="order = rs.permutation(train) at the top of each epoch, from the run's one stream; batch i "
                         "takes images order[i*B:(i+1)*B]")
    ap.add_argument("--lr-decay", type=float, default=1.0,
                    help="ExponentialLR: the rate is multiplied by this after each epoch")
    ap.add_argument("--dump-run", action="store_true",
                    help="write run.npz: the training and test pixels and labels, each epoch's order and the weights "
                         "after the last epoch (final_<name>)")
    args = ap.parse_args(argv)

    layers = parse_spec(args.spec)
    x_train = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))[:args.train]
    y_train = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))[:args.train].astype(np.int64)
    x_test = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))[:args.test]
    y_test = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))[:args.test].astype(np.int64)
    images = x_train.reshape(len(x_train), 784) / 255
    test_images = x_test.reshape(len(x_test), 784) / 255
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        write_run_info(args.out, args, layers)

    rs = np.random.RandomState(args.seed)
    params = initialize(layers, rs)
    sgd = Sgd(args.lr, args.momentum)
    log = open(os.path.join(args.out, "log.txt"), "w") if args.out else None
    batches = len(images) // args.batch
    orders = {}
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        if epoch > 0:
            sgd.lr = sgd.lr * args.lr_decay   # chained, as torch's ExponentialLR
        order = rs.permutation(len(images)) if args.shuffle else np.arange(len(images))
        if args.dump_run:
            orders[f"order_e{epoch}"] = order
        loss_sum, correct = 0.0, 0
        for i in range(batches):
            idx = order[i * args.batch:(i + 1) * args.batch]
            masks = draw_masks(layers, args.batch, rs)
            acts = forward(layers, params, images[idx], masks)
            loss, grads = backward(layers, params, acts, y_train[idx], masks)
            loss_sum += loss
            correct += int(np.sum(np.argmax(acts[-1], axis=1) == y_train[idx]))
            sgd.step(params, grads)
            if args.out and epoch == 0 and i < args.dump_batches:
                r = args.dump_rows or args.batch
                tensors = {"pixels": x_train[idx].reshape(args.batch, 784), "labels": y_train[idx],
                           "loss": np.array(loss), "logits": acts[-1]}
                for L, y in zip(layers, acts[1:]):
                    tensors["out_" + L["name"]] = y[:r]
                for name, m in masks.items():
                    tensors["mask_" + name] = m
                for name in params:
                    tensors["grad_" + name] = grads[name]
                    tensors["after_" + name] = params[name]
                for L in layers:
                    if L["kind"] == "batchnorm":
                        for key in ("running_mean", "running_var", "num_batches_tracked"):
                            tensors[f"buffer_{L['name']}.{key}"] = np.array(L[key], dtype=np.float64)
                np.savez_compressed(os.path.join(args.out, f"step_b{i}.npz"),
                                    **{k: np.ascontiguousarray(v) for k, v in tensors.items()})
        t1 = time.perf_counter()
        test_correct = 0
        for lo in range(0, len(test_images), args.batch):
            logits = forward(layers, params, test_images[lo:lo + args.batch], None)[-1]
            test_correct += int(np.sum(np.argmax(logits, axis=1) == y_test[lo:lo + args.batch]))
        line = (f"epoch {epoch}: loss {loss_sum / batches!r} train {correct}/{batches * args.batch} "
                f"test {test_correct}/{len(test_images)}")
        print(line, flush=True)
        if log:
            log.write(line + "\n")
        print(f"epoch {epoch}: train {t1 - t0:.1f} s, test {time.perf_counter() - t1:.1f} s", file=sys.stderr)
    if log:
        log.close()
    if args.out and args.dump_run:
        tensors = {"train_pixels": x_train.reshape(len(x_train), 784), "train_labels": y_train,
                   "test_pixels": x_test.reshape(len(x_test), 784), "test_labels": y_test, **orders}
        tensors.update({"final_" + name: value for name, value in params.items()})
        np.savez_compressed(os.path.join(args.out, "run.npz"), **{k: np.ascontiguousarray(v) for k, v in tensors.items()})


if __name__ == "__main__":
    main()
