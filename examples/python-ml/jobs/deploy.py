"""Deploy: promotes the VALIDATED version the triggering MODEL_VALIDATED event names (else the
newest VALIDATED one) to DEPLOYED; the version deployed before becomes DEPRECATED. The platform
publishes MODEL_DEPLOYED, which (re)starts ``score`` on the new version.
"""
import argparse

import mllib

JOB = "deploy"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    a = p.parse_args()

    c = mllib.client()
    number = mllib.event_version(c)
    version = c.models.get_version(a.model, number) if number else c.models.latest_version(a.model, stage="VALIDATED")
    if version is None or version.stage != "VALIDATED":
        mllib.log(JOB, f"model {a.model} has no VALIDATED version to deploy"
                       + (f" (version {version.version} is {version.stage})" if version else ""))
        return 1
    deployed = c.models.set_stage(a.model, version.version, "DEPLOYED")
    task = c.task.task_execution_id if c.task else None
    if task:
        c.lineage.record(task, "READ", [("MODEL_VERSION", a.model, deployed.version)])
    mllib.log(JOB, f"{a.model} version {deployed.version} is {deployed.stage}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
