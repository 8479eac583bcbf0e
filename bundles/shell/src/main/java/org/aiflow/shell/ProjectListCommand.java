package org.aiflow.shell;

import org.aiflow.api.metadata.Project;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "project-list", description = "Lists projects by name (the namespace option is ignored).")
@Needs(Role.VIEWER)
public class ProjectListCommand extends MetadataListCommand {
    @Override
    void run() {
        Output.print(System.out, json, caller.readable(metadata.listProjects(query(null, false)), Project::name), "No projects.",
                Column.left("Name", Project::name),
                Column.left("URI", p -> Output.clip(p.uri(), 40)),
                Column.right("Revision", Project::revision),
                Column.left("Updated", Project::updateTime),
                Column.left("Description", p -> Output.clip(p.description(), 50)));
    }
}
