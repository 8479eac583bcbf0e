"""What the jobs of the Python ML example share: finding the ``aiflow`` package, the platform
client of the task, the CSV data, and a logistic regression in pure Python (standard library only).

The jobs run as ``process`` tasks in the platform's home directory (``bin/karaf`` starts the
platform there); the workflow sets ``PYTHONPATH=python``, the copy of ``clients/python/aiflow``
the distribution ships. Run from a source checkout, :func:`_find_client` falls back to
``clients/python``.
"""
from __future__ import annotations

import csv
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote, urlparse

#: the distribution's home (``<home>/examples/python-ml/jobs/mllib.py``), or the source checkout
HOME = Path(__file__).resolve().parents[3]


def _find_client() -> None:
    """Puts the shipped client on ``sys.path`` unless PYTHONPATH (or an install) already provides it."""
    try:
        import aiflow  # noqa: F401
        return
    except ImportError:
        pass
    for candidate in (HOME / "python", HOME / "clients" / "python"):
        if (candidate / "aiflow" / "__init__.py").is_file():
            sys.path.insert(0, str(candidate))
            return


_find_client()
import aiflow  # noqa: E402

Row = Tuple[float, float, int]

#: the schema the datasets are registered with
SCHEMA = [{"name": "x1", "type": "DOUBLE"}, {"name": "x2", "type": "DOUBLE"}, {"name": "label", "type": "INT"}]


def client() -> aiflow.Client:
    """The platform client of the task: ``AIFLOW_URL``, ``AIFLOW_TOKEN`` and the rest of the task context."""
    return aiflow.Client.from_task_environment()


def log(job: str, message: str) -> None:
    """One line of progress on stdout (the task's stdout.log)."""
    print(f"{job}: {message}", flush=True)


def data_dir() -> Path:
    """Where the jobs write models and scores: ``$PYML_DATA_DIR``, else ``<home>/data/python-ml``."""
    d = Path(os.environ.get("PYML_DATA_DIR") or HOME / "data" / "python-ml")
    d.mkdir(parents=True, exist_ok=True)
    return d


def to_uri(path: Path) -> str:
    return path.resolve().as_uri()


def to_path(uri: str) -> Path:
    """The local file of a ``file:`` URI (or a plain path)."""
    parsed = urlparse(uri)
    if parsed.scheme in ("", "file"):
        return Path(unquote(parsed.path if parsed.scheme else uri))
    raise ValueError(f"only file: URIs can be read by this example, got {uri!r}")


def read_rows(path: Path) -> List[Row]:
    """The rows of a CSV with the header ``x1,x2,label``; a malformed row fails with its line number."""
    rows: List[Row] = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["x1", "x2", "label"]:
            raise ValueError(f"{path}: expected the header x1,x2,label, got {reader.fieldnames}")
        for line, r in enumerate(reader, start=2):
            try:
                rows.append((float(r["x1"]), float(r["x2"]), int(r["label"])))
            except (TypeError, ValueError) as e:
                raise ValueError(f"{path}:{line}: {e}") from None
    if not rows:
        raise ValueError(f"{path} has no rows")
    return rows


def ensure_dataset(c: aiflow.Client, name: str, path: Path, description: str) -> aiflow.Dataset:
    """The registered dataset ``name``, registered first with ``path`` if it is not (a later run reads what its uri names)."""
    try:
        return c.datasets.get(name)
    except aiflow.NotFound:
        pass
    try:
        return c.datasets.create(name, to_uri(path), format="csv", description=description, schema=SCHEMA)
    except aiflow.Conflict:
        return c.datasets.get(name)


# ---------------------------------------------------------------- the model


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def train(rows: Sequence[Row], epochs: int = 300, learning_rate: float = 0.1) -> Dict:
    """Logistic regression on standardised features by full-batch gradient descent."""
    n = len(rows)
    means = [sum(r[i] for r in rows) / n for i in (0, 1)]
    stds = [math.sqrt(sum((r[i] - means[i]) ** 2 for r in rows) / n) or 1.0 for i in (0, 1)]
    xs = [((r[0] - means[0]) / stds[0], (r[1] - means[1]) / stds[1]) for r in rows]
    ys = [r[2] for r in rows]
    w = [0.0, 0.0]
    b = 0.0
    for _ in range(epochs):
        gw = [0.0, 0.0]
        gb = 0.0
        for (x1, x2), y in zip(xs, ys):
            err = _sigmoid(w[0] * x1 + w[1] * x2 + b) - y
            gw[0] += err * x1
            gw[1] += err * x2
            gb += err
        w = [w[0] - learning_rate * gw[0] / n, w[1] - learning_rate * gw[1] / n]
        b -= learning_rate * gb / n
    model = {"weights": w, "bias": b, "means": means, "stds": stds, "rows": n, "epochs": epochs,
             "learningRate": learning_rate, "trainedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    model["trainingLoss"] = evaluate(model, rows)["log_loss"]
    return model


def probability(model: Dict, x1: float, x2: float) -> float:
    """P(label = 1) for one point."""
    z1 = (x1 - model["means"][0]) / model["stds"][0]
    z2 = (x2 - model["means"][1]) / model["stds"][1]
    return _sigmoid(model["weights"][0] * z1 + model["weights"][1] * z2 + model["bias"])


def evaluate(model: Dict, rows: Sequence[Row]) -> Dict[str, float]:
    """Accuracy (threshold 0.5) and mean log loss over ``rows``."""
    correct = 0
    loss = 0.0
    for x1, x2, y in rows:
        p = min(max(probability(model, x1, x2), 1e-12), 1 - 1e-12)
        correct += int((p >= 0.5) == (y == 1))
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return {"accuracy": correct / len(rows), "log_loss": loss / len(rows)}


def save_model(model: Dict, path: Path) -> None:
    """Writes the model JSON through a temporary file renamed over ``path`` (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(model, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def load_model(uri: str) -> Dict:
    return json.loads(to_path(uri).read_text(encoding="utf-8"))


def event_version(c: aiflow.Client) -> Optional[int]:
    """The model version the triggering model event is about (its value is the version record), if any."""
    event = c.task.event if c.task else None
    if event is None or not event.value:
        return None
    try:
        return int(json.loads(event.value)["version"])
    except (ValueError, KeyError, TypeError):
        return None
