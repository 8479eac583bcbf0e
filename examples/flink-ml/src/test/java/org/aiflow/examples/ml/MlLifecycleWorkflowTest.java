package org.aiflow.examples.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.json.AiflowJson;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The workflow is shipped twice, as a file and in the Java DSL: both must define the same workflow. */
class MlLifecycleWorkflowTest {

    @Test
    void theJavaDslDefinesTheSameWorkflowAsTheYamlFile() throws Exception {
        Path file = Paths.get("../workflows/ml-lifecycle.yaml");
        WorkflowDefinition fromFile;
        // the platform's own mapper reading YAML tokens, as the scheduler reads workflow files
        try (var parser = new YAMLFactory().createParser(Files.readString(file))) {
            fromFile = AiflowJson.newMapper().readValue(parser, WorkflowDefinition.class);
        }

        assertThat(MlLifecycleWorkflow.definition()).isEqualTo(fromFile);
        assertThat(fromFile.tasks()).extracting(t -> t.name()).containsExactly("train", "retrain", "validate", "deploy", "inference");
    }
}
