#!/usr/bin/python3
"""Writes reference/golden/numeric/tanh_f32.npz and tanh_f32_sets.txt: what this NumPy's float32 np.tanh
returns, for the C# port (src/CnnParity.Core/NumPy/NumPyTanhFloat32.cs) to be checked against.

As make_numeric_goldens.py: an edge list in clear, and sets drawn from np.random.RandomState(SEED) in a fixed
order that the C# test replays, kept as the SHA-256 of all outputs plus the first HEAD inputs/outputs:
  bits    float32 from random 32-bit patterns: randint(0, 2**32, N) viewed as float32
  wide    (random_sample(N) * 64 - 32) rounded to float32
  narrow  (random_sample(N) * 4 - 2) rounded to float32
"""
import hashlib
import os
import sys

import numpy as np

SEED = 20241
HEAD = 1000
N = 1_000_000


def edges():
    xs = [0.0, -0.0, 1.0, -1.0, 1e-45, -1e-45, 1.1754944e-38, 1e-30, 2.0**-25, 9.0, 8.999999, 10.0, 20.0, 88.0,
          3.0e38, 2.6e38, 2.5e38, 3.4028235e38, -3.4028235e38, float("inf"), float("-inf"), float("nan")]
    x = np.array(xs, dtype=np.float32)
    # every interval boundary (exponent and top two mantissa bits) and its neighbours, both signs
    bounds = [np.float32(m * 2.0**e) for e in range(-6, 5) for m in (1.0, 1.25, 1.5, 1.75)]
    near = [v for b in bounds for v in (np.nextafter(b, np.float32(0)), b, np.nextafter(b, np.float32(np.inf)))]
    near = np.array(near, dtype=np.float32)
    # the callout threshold (bits & 0x7fe00000) > 0x7f000000
    calls = np.array([0x7F1FFFFF, 0x7F200000, 0x7F000000, 0x7EFFFFFF, 0x7F800001, 0x7FC00123], dtype=np.uint32).view(np.float32)
    return np.concatenate([x, near, -near, calls, -calls])


def draw(rs):
    bits = rs.randint(0, 2**32, size=N).astype(np.uint32).view(np.float32)
    wide = (rs.random_sample(N) * 64 - 32).astype(np.float32)
    narrow = (rs.random_sample(N) * 4 - 2).astype(np.float32)
    return {"bits": bits, "wide": wide, "narrow": narrow}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with np.errstate(all="ignore"):
        e = edges()
        arrays = {"edge_x": e, "edge_y": np.tanh(e)}
        lines = []
        for name, x in draw(np.random.RandomState(SEED)).items():
            y = np.tanh(x)
            arrays[f"{name}_x"], arrays[f"{name}_y"] = x[:HEAD], y[:HEAD]
            lines.append(f"{name} {N} {hashlib.sha256(y.astype('<f4').tobytes()).hexdigest()}")
    np.savez_compressed(os.path.join(out_dir, "tanh_f32.npz"), **arrays)
    with open(os.path.join(out_dir, "tanh_f32_sets.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "reference/golden/numeric")
