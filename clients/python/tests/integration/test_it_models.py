"""Models against a running distribution: register versions, move stages, the deployed version."""
import uuid

import pytest

import aiflow


def test_register_stage_deploy_and_the_deployed_version(admin):
    model = "it-" + uuid.uuid4().hex[:12]
    admin.models.create(model, description="integration test")
    assert admin.models.deployed_version(model) is None

    v1 = admin.models.register_version(model, "file:///tmp/m1.json", metrics={"auc": 0.9})
    assert (v1.version, v1.stage) == (1, "GENERATED")
    assert [v.value for v in admin.metrics.values(model, key="auc", model_version=1)] == [0.9]
    assert admin.models.set_stage(model, 1, "VALIDATED").stage == "VALIDATED"
    assert admin.models.set_stage(model, 1, "DEPLOYED").stage == "DEPLOYED"
    assert admin.models.deployed_version(model).version == 1

    v2 = admin.models.register_version(model, "file:///tmp/m2.json", stage="DEPLOYED")
    assert (v2.version, v2.stage) == (2, "DEPLOYED")
    assert admin.models.deployed_version(model).version == 2
    assert admin.models.get_version(model, 1).stage == "DEPRECATED", "deploying v2 deprecated v1"
    assert [v.version for v in admin.models.versions(model)] == [1, 2]
    assert admin.models.latest_version(model, stage="DEPRECATED").version == 1

    with pytest.raises(aiflow.Conflict):
        admin.models.set_stage(model, 1, "GENERATED")  # not a move the stage table allows
    assert admin.models.get_version(model, 1).stage == "DEPRECATED"


def test_deployed_version_of_a_missing_model_is_not_found(admin):
    with pytest.raises(aiflow.NotFound):
        admin.models.deployed_version("it-no-such-model-" + uuid.uuid4().hex[:8])
