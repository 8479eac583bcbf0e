"""Writes the example's datasets (once; the CSVs are committed): two Gaussian blobs.

Label 0 around (1, 1), label 1 around (3, 2.5), standard deviation 0.8, the same shape as the
Flink example's data. ``python3 jobs/make_data.py data`` writes train.csv (400 rows, seed 1),
train-2.csv (400 rows, seed 2: the second training round) and validate.csv (200 rows, seed 3).
"""
import random
import sys
from pathlib import Path


def rows(n, seed):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        label = rnd.randrange(2)
        cx, cy = (3.0, 2.5) if label else (1.0, 1.0)
        out.append((round(rnd.gauss(cx, 0.8), 4), round(rnd.gauss(cy, 0.8), 4), label))
    return out


def write(path, data):
    with open(path, "w", encoding="utf-8") as f:
        f.write("x1,x2,label\n")
        for x1, x2, label in data:
            f.write(f"{x1},{x2},{label}\n")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "data")
    target.mkdir(parents=True, exist_ok=True)
    write(target / "train.csv", rows(400, 1))
    write(target / "train-2.csv", rows(400, 2))
    write(target / "validate.csv", rows(200, 3))
