package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "project-create", description = "Registers a project: the record of the namespace named like it.")
@Needs(Role.AUTHOR)
public class ProjectCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Project name (= its namespace)", required = true)
    String name;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Option(name = "-u", aliases = "--uri", description = "Where the project's code lives")
    String uri;

    @Override
    void run() {
        checkNamespace(name);
        Project p = metadata.createProject(new ProjectDraft(name, description, uri, null));
        caller.audit("project.create", p.name(), p.name(), "revision " + p.revision());
        System.out.printf("Project %s created (revision %d).%n", p.name(), p.revision());
    }
}
