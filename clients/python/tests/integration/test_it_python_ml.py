"""The Python ML example (examples/python-ml) end to end on the distribution, as its README runs it:
upload + start -> train -> GENERATED -> validate -> VALIDATED -> deploy -> DEPLOYED -> the scorer
scores record events with version 1; a second training round (the dataset's uri points at
train-2.csv) deploys version 2 and restarts the scorer on it, which goes on after the last record
it scored: every record is scored exactly once, also across a platform restart the scorer outlives."""
import json

from waiting import until

MODEL = "py-churn-lr"
DATASET = "py-churn-train"
RECORDS = "py-churn-records"
SCORES = "py-churn-scores"


def scores(client):
    return [json.loads(e.value) for e in client.events.list(key=SCORES, limit=1000)]


def scorer_on(client, execution, version):
    """The RUNNING score task execution whose log says it scores with ``version``."""
    for t in client.tasks.list(execution_id=execution, status="RUNNING"):
        if t.task_name == "score" and f"{MODEL} version {version}," in client.tasks.log(t.id).text:
            return t
    return None


def test_the_python_ml_example_end_to_end(platform, admin):
    workflow = admin.workflows.upload(platform.home / "examples" / "python-ml" / "python-ml.yaml")
    assert workflow.name == "python-ml"
    execution = admin.workflows.start("python-ml").id

    # round 1: train -> validate -> deploy, then the scorer starts on version 1
    v1 = until("version 1 DEPLOYED", lambda: admin.models.deployed_version(MODEL), timeout=180)
    assert v1.version == 1
    accuracy = admin.metrics.values(MODEL, key="accuracy", model_version=1)
    assert accuracy and accuracy[0].value >= 0.85, "validate logged the accuracy that passed the threshold"
    assert admin.metrics.values(MODEL, key="training_loss", model_version=1), "train logged its loss with the version"
    first = until("the scorer on version 1", lambda: scorer_on(admin, execution, 1), timeout=120)

    records = [admin.events.publish(RECORDS, v).version for v in ("0.5,0.8", "3.4,2.9", "1.2,1.1")]
    round1 = until("3 scores", lambda: (lambda s: s if len(s) >= 3 else None)(scores(admin)), timeout=60)
    assert [s["record"] for s in round1] == records
    assert [s["modelVersion"] for s in round1] == [1, 1, 1]
    assert [s["label"] for s in round1] == [0, 1, 0], "blob 0 around (1, 1), blob 1 around (3, 2.5)"

    # round 2: new training data -> DATASET_UPDATED -> retrain -> ... -> version 2 DEPLOYED, scorer restarted
    dataset = admin.datasets.get(DATASET)
    admin.datasets.update(DATASET, dataset.revision, (platform.home / "examples/python-ml/data/train-2.csv").as_uri(),
                          format="csv", description=dataset.description)
    until("version 2 DEPLOYED", lambda: (lambda d: d if d and d.version == 2 else None)(admin.models.deployed_version(MODEL)),
          timeout=180)
    assert admin.models.get_version(MODEL, 1).stage == "DEPRECATED"
    second = until("the scorer restarted on version 2", lambda: scorer_on(admin, execution, 2), timeout=120)
    assert second.id != first.id
    assert admin.tasks.get(first.id).status == "STOPPED", "the first scorer was stopped before the second started"

    records += [admin.events.publish(RECORDS, v).version for v in ("3.0,2.2", "0.9,1.4")]
    all_scores = until("5 scores", lambda: (lambda s: s if len(s) >= 5 else None)(scores(admin)), timeout=60)
    assert [s["record"] for s in all_scores] == records, "every record scored once, in order"
    assert [s["modelVersion"] for s in all_scores] == [1, 1, 1, 2, 2]

    # a platform restart: the scorer, a process, outlives it, and its listener goes on after it
    platform.stop()
    platform.start()
    records.append(admin.events.publish(RECORDS, "3.1,2.7").version)
    all_scores = until("6 scores", lambda: (lambda s: s if len(s) >= 6 else None)(scores(admin)), timeout=60)
    assert [s["record"] for s in all_scores] == records, "every record scored once, in order, across the restart"
    assert all_scores[-1]["modelVersion"] == 2
    assert scorer_on(admin, execution, 2).id == second.id, "the same scorer, re-attached after the restart"

    lines = (platform.home / "data/python-ml/scores.csv").read_text().splitlines()
    assert [int(line.split(",")[0]) for line in lines] == records
    assert admin.executions.get(execution).status == "RUNNING", "the scorer keeps the execution running"
    admin.executions.stop(execution)
