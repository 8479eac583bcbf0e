"""Validate: evaluates the GENERATED version the triggering MODEL_GENERATED event names (else the
newest GENERATED one) on a held-out CSV, logs its accuracy, and moves it to VALIDATED (the platform
publishes MODEL_VALIDATED, which starts ``deploy``) if the accuracy reaches the threshold; below
it, it stays GENERATED and the chain ends there.
"""
import argparse
from pathlib import Path

import mllib

JOB = "validate"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--dataset-name", required=True)
    p.add_argument("--dataset", required=True, help="the CSV to register the dataset with, if it is not registered yet")
    p.add_argument("--threshold", type=float, default=0.85, help="the accuracy a version needs to be VALIDATED")
    a = p.parse_args()

    c = mllib.client()
    number = mllib.event_version(c)
    version = c.models.get_version(a.model, number) if number else c.models.latest_version(a.model, stage="GENERATED")
    if version is None:
        mllib.log(JOB, f"model {a.model} has no GENERATED version to validate")
        return 1
    if version.stage != "GENERATED":
        mllib.log(JOB, f"{a.model} version {version.version} is {version.stage} already: nothing to do")
        return 0
    dataset = mllib.ensure_dataset(c, a.dataset_name, Path(a.dataset), "held-out data of the Python ML example")
    scores = mllib.evaluate(mllib.load_model(version.uri), mllib.read_rows(mllib.to_path(dataset.uri)))
    c.metrics.get_or_create(a.model, "MODEL", model=a.model)
    task = c.task.task_execution_id if c.task else None
    c.metrics.log(a.model, [{"key": "accuracy", "value": scores["accuracy"], "modelVersion": version.version,
                             "taskExecutionId": task},
                            {"key": "log_loss", "value": scores["log_loss"], "modelVersion": version.version,
                             "taskExecutionId": task}])
    if task:
        c.lineage.record(task, "READ", [("DATASET", dataset.name), ("MODEL_VERSION", a.model, version.version)])
    if scores["accuracy"] >= a.threshold:
        c.models.set_stage(a.model, version.version, "VALIDATED")
        mllib.log(JOB, f"{a.model} version {version.version}: accuracy {scores['accuracy']:.3f} >= {a.threshold}: VALIDATED")
    else:
        mllib.log(JOB, f"{a.model} version {version.version}: accuracy {scores['accuracy']:.3f} < {a.threshold}: "
                       "stays GENERATED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
