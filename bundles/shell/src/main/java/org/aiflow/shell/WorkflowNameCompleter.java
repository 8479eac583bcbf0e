package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes workflow names. */
@Service
public class WorkflowNameCompleter implements Completer {
    @Reference
    SchedulerService scheduler;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        scheduler.listWorkflows().stream().map(Workflow::name).distinct().forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
