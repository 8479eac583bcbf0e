package org.aiflow.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Service
@Command(scope = "aiflow", name = "workflow-upload",
        description = "Uploads a workflow file (JSON or YAML): a new workflow, or a new snapshot of an existing one.")
@Needs(Role.AUTHOR)
public class WorkflowUploadCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "file", description = "The workflow file", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Override
    void run() {
        Path path = Paths.get(file);
        String document;
        try {
            document = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ValidationException("cannot read workflow file " + path.toAbsolutePath() + ": it does not exist");
        } catch (IOException e) {
            throw new ValidationException("cannot read workflow file " + path + ": " + e.getMessage());
        }
        String source = path.getFileName().toString();
        if (!caller.caller().mayEverywhere(Role.AUTHOR)) {
            // an author of some namespaces only: the file's namespace must be one of them, before anything is stored
            // as the scheduler reads it (no second parser that could read another namespace)
            checkNamespace(scheduler.readWorkflow(source, document).namespace());
        }
        Workflow w = scheduler.upload(source, document);
        caller.audit("workflow.upload", w.namespace(), w.name(), "snapshot " + w.snapshotId() + " from " + source);
        System.out.printf("Workflow %s/%s uploaded as snapshot %d.%n", w.namespace(), w.name(), w.snapshotId());
    }
}
