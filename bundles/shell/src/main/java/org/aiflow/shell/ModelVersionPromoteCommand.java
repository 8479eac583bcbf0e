package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-version-promote",
        description = "Moves a model version to a stage (VALIDATED, DEPLOYED, DEPRECATED, DELETED) and emits MODEL_<STAGE>. "
                + "Deploying deprecates the deployed version unless --refuse-if-deployed.")
@Needs(Role.OPERATOR)
public class ModelVersionPromoteCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "model", description = "Model name", required = true)
    String model;

    @Argument(index = 1, name = "version", description = "Version number", required = true)
    int version;

    @Argument(index = 2, name = "stage", description = "Target stage", required = true)
    ModelStage stage;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "--refuse-if-deployed", description = "Fail instead of deprecating a deployed version")
    boolean refuse;

    @Option(name = "-r", aliases = "--revision", description = "Only if the version is still at this revision")
    long revision = -1;

    @Override
    void run() {
        String ns = checkNamespace(namespace);
        ModelVersion v = metadata.changeStage(namespace, model, version, stage, revision,
                refuse ? PromotionMode.REFUSE_IF_DEPLOYED : PromotionMode.DEPRECATE_PREVIOUS);
        caller.audit("model-version.stage", ns, v.modelName() + "/" + v.version(), v.stage() + " (revision " + v.revision() + ")");
        System.out.printf("Model %s version %d is %s (revision %d).%n", v.modelName(), v.version(), v.stage(), v.revision());
    }
}
