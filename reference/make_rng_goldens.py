#!/usr/bin/python3
"""Writes reference/golden/rng/seed_<seed>.npz: what np.random.RandomState draws, in order.

Each array is one call, named `<index>_<call>` so that the C# test can replay the same calls
from the name alone:
  NNN_random_sample_<n>            random_sample(n)
  NNN_random_sample_scalar         random_sample()          (1-element array)
  NNN_randint_<low>_<high>_<n>     randint(low, high, size=n)  (default dtype int64)
  NNN_randint_scalar_<low>_<high>  randint(low, high)       (1-element array)
Doubles are stored as float64 (compared bit for bit), integers as int64.
The order imitates the network: the two weight initialisations, then dropout masks
(randint(2)), with rejection-heavy ranges (7, 3, 5, 1000, 2^31+1), the whole-word 32-bit range,
64-bit ranges, negative lows, an empty range and scalar draws mixed in.
"""
import os
import sys

import numpy as np

SEEDS = [0, 1, 42, 2**32 - 1]

CALLS = [
    ("random_sample", 9 * 4),            # kernels = 0.02*random((9, 4)) - 0.01
    ("random_sample", 60 * 10),          # weights_1_2 (a small hidden layer)
    ("randint", 0, 2, 400),              # dropout mask
    ("randint", 0, 7, 300),              # rejection: mask 7, range 6
    ("random_sample", 5),
    ("randint", 0, 2, 250),
    ("randint_scalar", 0, 7),
    ("random_sample_scalar",),
    ("randint", 0, 1, 10),               # range 0: takes no draw
    ("randint", 0, 3, 200),
    ("randint", -5, 5, 100),
    ("randint", 0, 1000, 100),
    ("randint", 0, 2**31 + 1, 50),       # mask 2^32-1, almost half rejected
    ("randint", 0, 2**32, 50),           # range 2^32-1: raw 32-bit draws
    ("randint", 0, 2**32 + 1, 20),       # smallest 64-bit range
    ("randint", -2**40, 2**40, 30),      # 64-bit masked
    ("randint", -2**63, 2**63 - 1, 20),  # range 2^64-2
    ("randint_scalar", 0, 2),
    ("random_sample", 300),
    ("randint", 0, 2, 700),              # crosses a 624-word regeneration
    ("randint", 0, 7, 300),
    ("random_sample", 10),
]


def key(index, call):
    return f"{index:03d}_" + "_".join(str(c) for c in call)


def draw(rs, call):
    kind = call[0]
    if kind == "random_sample":
        return rs.random_sample(call[1])
    if kind == "random_sample_scalar":
        return np.array([rs.random_sample()], dtype=np.float64)
    if kind == "randint":
        return rs.randint(call[1], call[2], size=call[3]).astype(np.int64)
    if kind == "randint_scalar":
        return np.array([rs.randint(call[1], call[2])], dtype=np.int64)
    raise ValueError(kind)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "rng")
    os.makedirs(out, exist_ok=True)
    for seed in SEEDS:
        rs = np.random.RandomState(seed)
        arrays = {}
        for i, call in enumerate(CALLS):
            arrays[key(i, call)] = draw(rs, call)
        np.savez_compressed(os.path.join(out, f"seed_{seed}.npz"), **arrays)
        print(f"seed {seed}: {len(arrays)} calls, {sum(a.size for a in arrays.values())} values")


if __name__ == "__main__":
    main()
