#!/usr/bin/python3
"""Writes reference/golden/numeric/: what this NumPy's np.tanh and np.exp, and this Python's repr()
and round(), return, for the C# ports in src/CnnParity.Core/NumPy to be checked against.

Inputs are either listed (edge cases) or drawn from np.random.RandomState(SEED) in a fixed order
that the C# test replays with its own NumPyRandomState, so millions of inputs need no storage:
the golden keeps the SHA-256 of all outputs of a set plus its first HEAD inputs/outputs in clear.

  tanh.npz / exp.npz       <set>_x, <set>_y for the edge list and the head of every drawn set
  tanh_sets.txt / exp_sets.txt   "<set> <count> <sha256 of the float64 outputs, little-endian>"
  python_float.tsv         hex bits, repr(x), repr(round(x, n)) for n in NDIGITS, one line per listed value
  python_float_sets.txt    "<set> <count> <sha256 of the utf-8 lines repr(x)\\trepr(round(x,5))\\n>"

Drawn sets (N values each, in this order, from one RandomState(SEED) per function):
  bits    float64 from random 64-bit patterns: hi = randint(0, 2**32, N), lo = randint(0, 2**32, N)
  wide    random_sample(N) * WIDE_SCALE - WIDE_SCALE / 2
  narrow  random_sample(N) * NARROW_SCALE - NARROW_SCALE / 2
  log     ldexp(random_sample(N) * 2 - 1, randint(LOG_LOW, LOG_HIGH, N))
"""
import hashlib
import os
import struct
import sys

import numpy as np

SEED = 20240
HEAD = 1000
N_FUNC = 1_000_000
N_REPR = 200_000
NDIGITS = [5, 2, 0, -2]
PARAMS = {  # function: (wide scale, narrow scale, log low, log high)
    "tanh": (64.0, 4.0, -60, 12),
    "exp": (1500.0, 40.0, -60, 10),
}


def f64(bits):
    return struct.unpack("<d", struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))[0]


def draw_sets(rs, n, wide, narrow, log_low, log_high):
    hi = rs.randint(0, 2**32, size=n).astype(np.uint64)
    lo = rs.randint(0, 2**32, size=n).astype(np.uint64)
    bits = ((hi << np.uint64(32)) | lo).view(np.float64)
    w = rs.random_sample(n) * wide - wide / 2
    nr = rs.random_sample(n) * narrow - narrow / 2
    m = rs.random_sample(n) * 2 - 1
    e = rs.randint(log_low, log_high, size=n)
    lg = np.ldexp(m, e.astype(np.int32))
    return {"bits": bits, "wide": w, "narrow": nr, "log": lg}


def tanh_edges():
    xs = [0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e-20, 2.0**-54,
          19.0, 20.0, 22.0, 24.0, 30.0, 710.0, 1e300, 1.7976931348623157e308, -1.7976931348623157e308,
          float("inf"), float("-inf"), f64(0x7FF8000000000000), f64(0xFFF8000000000000),
          f64(0x7FF0000000000001), f64(0x7FF4000000000123), f64(0xFFF0000000000001)]
    # every interval boundary (1.0 and 1.5 times a power of two) and its neighbours, both signs
    for e in range(-8, 8):
        for m in (1.0, 1.5):
            b = np.float64(m * 2.0**e)
            for v in (np.nextafter(b, 0), b, np.nextafter(b, np.inf)):
                xs += [float(v), -float(v)]
    # the callout threshold |x| = 1.5 * 2^1023 (0x7FE8...)
    for bits in (0x7FE7FFFFFFFFFFFF, 0x7FE8000000000000, 0x7FE8000000000001, 0x7FE0000000000000, 0x7FDFFFFFFFFFFFFF):
        xs += [f64(bits), f64(bits | 1 << 63)]
    return np.array(xs, dtype=np.float64)


def exp_edges():
    xs = [0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 2.0**-54, -(2.0**-54), 2.0**-55, 1e-300, 1e-17, -1e-17,
          709.0, 709.782712893384, 709.7827128933841, 710.0, -708.0, -708.4, -709.0, -720.0, -740.0, -745.0,
          -745.1332191019411, -745.1332191019412, -745.2, -746.0, 1e300, -1e300,
          float("inf"), float("-inf"), f64(0x7FF8000000000000), f64(0xFFF8000000000000), f64(0x7FF0000000000001),
          0.5, 0.6931471805599453, -0.6931471805599453, 88.0, -88.0, 2.0, 10.0, -10.0, 1e-10, 3.0, 50.0, -50.0]
    for t in (0x40862E42FEFA39EF, 0xC0874910D52D3053, 0x3C90000000000000, 0xBC90000000000000):
        b = f64(t)
        xs += [float(np.nextafter(b, -np.inf)), b, float(np.nextafter(b, np.inf))]
    # k*ln2/32 grid points, where the table index changes
    for k in range(-70, 71):
        xs.append(k * 0.6931471805599453 / 32)
    return np.array(xs, dtype=np.float64)


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a, dtype="<f8").tobytes()).hexdigest()


def write_function(out, name, fn, edges):
    wide, narrow, log_low, log_high = PARAMS[name]
    sets = draw_sets(np.random.RandomState(SEED), N_FUNC, wide, narrow, log_low, log_high)
    arrays = {"edge_x": edges, "edge_y": fn(edges)}
    lines = []
    for key, x in sets.items():
        y = fn(x)
        arrays[f"{key}_x"] = x[:HEAD]
        arrays[f"{key}_y"] = y[:HEAD]
        lines.append(f"{key} {len(x)} {sha(y)}")
    np.savez_compressed(os.path.join(out, f"{name}.npz"), **arrays)
    with open(os.path.join(out, f"{name}_sets.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def repr_values():
    xs = [k / 10000 for k in range(10001)] + [k / 1000 for k in range(1001)]
    xs += [m / 64 for m in range(1, 400, 2)] + [-(m / 64) for m in range(1, 50, 2)]  # exact ties at 5 digits
    xs += [0.0, -0.0, 1e16, 1e-5, 1e-4, 9.999e-5, 0.0001, 9999999999999998.0, 1234567890123456.0, 12345678901234567.0,
           1e22, 1e23, 5e-324, 1.7976931348623157e308, 0.5, 0.125, 2.675, 1.0000000000000002, 0.1 + 0.2,
           123456789012345678.0, 100.0, 1e15, 1e17, 0.000123456, -0.000123456, 1.5e-7, 3.0, 0.3, 2.5, 3.5, -2.5,
           0.07475, 0.076, 0.0548, 1 / 3, 2 / 3, 0.99999, 0.999995, 0.9999949999999999, 123.456789, -987.654321,
           float("inf"), float("-inf"), float("nan"), 1e-7, 4.35, 0.145, 1.005]
    return xs


def write_python_float(out):
    lines = []
    for x in repr_values():
        bits = struct.unpack("<Q", struct.pack("<d", x))[0]
        lines.append("\t".join([f"{bits:016x}", repr(x)] + [repr(round(x, n)) for n in NDIGITS]))
    with open(os.path.join(out, "python_float.tsv"), "w") as f:
        f.write("# bits\trepr(x)\t" + "\t".join(f"repr(round(x, {n}))" for n in NDIGITS) + "\n")
        f.write("\n".join(lines) + "\n")

    rs = np.random.RandomState(SEED)
    sets = draw_sets(rs, N_REPR, 2.0, 1.0, -30, 30)
    sets = {"bits": sets["bits"], "unit": sets["narrow"] + 0.5, "log": sets["log"]}
    out_lines = []
    for key, x in sets.items():
        text = "".join(repr(v) + "\t" + repr(round(v, 5)) + "\n" for v in x.tolist())
        out_lines.append(f"{key} {len(x)} {hashlib.sha256(text.encode()).hexdigest()}")
    with open(os.path.join(out, "python_float_sets.txt"), "w") as f:
        f.write("\n".join(out_lines) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "numeric")
    os.makedirs(out, exist_ok=True)
    write_function(out, "tanh", np.tanh, tanh_edges())
    write_function(out, "exp", np.exp, exp_edges())
    write_python_float(out)
    print("wrote", out)


if __name__ == "__main__":
    main()
