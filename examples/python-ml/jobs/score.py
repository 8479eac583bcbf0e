"""Score (a stream job that runs until stopped): loads the DEPLOYED version and scores every record
event (key ``--records``, value ``x1,x2``) as it is published: one score event per record (key
``--scores``, type SCORE, value ``{"record", "x1", "x2", "probability", "label", "modelVersion"}``)
and one line ``record,x1,x2,probability,label,modelVersion`` appended to ``--out``.

The workflow restarts it on MODEL_DEPLOYED, so a new deployment is scored from the next record on.
Where to go on is read back from the platform (the record of the newest score event), not from a
local file: a restarted or moved scorer neither skips nor repeats a record, and a score published
twice after a crash is stored once (its idempotency key is the record's version and the model
version).
"""
import argparse
import json
import signal
import sys
from pathlib import Path

import mllib

JOB = "score"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--records", required=True, help="the key of the record events to score")
    p.add_argument("--scores", required=True, help="the key of the score events")
    p.add_argument("--out", default=None, help="the CSV to append scores to (default <data dir>/scores.csv)")
    a = p.parse_args()
    # a stop (SIGTERM from the process runner) ends the loop cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    c = mllib.client()
    version = c.models.deployed_version(a.model)
    if version is None:
        mllib.log(JOB, f"model {a.model} has no DEPLOYED version")
        return 1
    model = mllib.load_model(version.uri)
    after = last_scored_record(c, a.scores)
    out = mllib.data_dir() / "scores.csv" if a.out is None else Path(a.out)
    mllib.log(JOB, f"scoring {a.records} with {a.model} version {version.version}, after record {after}")
    with open(out, "a", encoding="utf-8") as f:
        for event in c.events.listen(namespace=c.namespace, key=a.records, after_version=after, wait=20):
            try:
                x1, x2 = (float(v) for v in event.value.split(","))
            except ValueError:
                mllib.log(JOB, f"record {event.version}: not 'x1,x2': {event.value!r}, skipped")
                continue
            prob = mllib.probability(model, x1, x2)
            label = int(prob >= 0.5)
            c.events.publish(a.scores, json.dumps({"record": event.version, "x1": x1, "x2": x2, "probability": round(prob, 6),
                                                   "label": label, "modelVersion": version.version}),
                             type="SCORE", idempotency_key=f"{a.scores}-{event.version}-v{version.version}")
            f.write(f"{event.version},{x1},{x2},{prob:.6f},{label},{version.version}\n")
            f.flush()
    return 0


def last_scored_record(c, scores_key: str) -> int:
    """The record version of the newest score event (0: none yet): scoring goes on after it."""
    latest = c.events.latest_version(namespace=c.namespace, key=scores_key)
    if latest == 0:
        return 0
    newest = c.events.list(namespace=c.namespace, key=scores_key, after_version=latest - 1, limit=1)
    return int(json.loads(newest[0].value)["record"]) if newest else 0


if __name__ == "__main__":
    raise SystemExit(main())
