"""Ingest + train: registers the training dataset if needed, trains on the file its uri names and
registers the model version (stage GENERATED: the platform publishes MODEL_GENERATED, which starts
``validate``), with its training metrics and lineage.

    python3 train.py --model py-churn-lr --dataset-name py-churn-train --dataset examples/python-ml/data/train.csv
"""
import argparse
import time
from pathlib import Path

import mllib

JOB = "train"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--dataset-name", required=True, help="the registered dataset to train on")
    p.add_argument("--dataset", required=True, help="the CSV to register it with, if it is not registered yet")
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--learning-rate", type=float, default=0.1)
    a = p.parse_args()

    c = mllib.client()
    dataset = mllib.ensure_dataset(c, a.dataset_name, Path(a.dataset),
                                   "two-class sample data of the Python ML example (x1, x2 -> label)")
    rows = mllib.read_rows(mllib.to_path(dataset.uri))
    mllib.log(JOB, f"training {a.model} on {len(rows)} rows of {dataset.name} ({dataset.uri}), {a.epochs} epochs")
    model = mllib.train(rows, a.epochs, a.learning_rate)
    train_accuracy = mllib.evaluate(model, rows)["accuracy"]

    c.models.get_or_create(a.model, description="logistic regression of the Python ML example")
    path = mllib.data_dir() / "models" / f"{a.model}-{int(time.time() * 1000)}.json"
    mllib.save_model(model, path)
    version = c.models.register_version(a.model, mllib.to_uri(path), type="python-logistic-regression",
                                        metrics={"training_loss": model["trainingLoss"], "train_accuracy": train_accuracy},
                                        properties={"dataset": dataset.name, "rows": str(len(rows))})
    task = c.task.task_execution_id if c.task else None
    if task:
        c.lineage.record(task, "READ", [("DATASET", dataset.name)])
        c.lineage.record(task, "WROTE", [("MODEL_VERSION", a.model, version.version)])
    mllib.log(JOB, f"registered {a.model} version {version.version} ({version.stage}): training loss "
                   f"{model['trainingLoss']:.4f}, train accuracy {train_accuracy:.3f}, file {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
