package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Supplier;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;

/** V6 gives the executions and tasks stored before it the namespace of their workflow, on both backends. */
class ExecutionNamespaceMigrationTest {

    @Test
    void h2() throws Exception {
        check(TestDatabases::h2);
    }

    @Test
    void mariadb() throws Exception {
        check(TestDatabases::mariadb);
    }

    private static void check(Supplier<TestDatabase> database) throws Exception {
        try (TestDatabase db = database.get()) {
            SchemaMigrator.migrate(db.dataSource(), 5);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO aiflow_workflows (id, namespace, name, enabled, snapshot_id, create_time, update_time) "
                        + "VALUES (1, 'team-a', 'flow', TRUE, 1, 0, 0), (2, 'team-b', 'flow', TRUE, 2, 0, 0)");
                s.execute("INSERT INTO aiflow_workflow_executions (id, workflow_id, workflow_name, snapshot_id, status, start_time) "
                        + "VALUES (10, 1, 'flow', 1, 'RUNNING', 0), (20, 2, 'flow', 2, 'RUNNING', 0)");
                s.execute("INSERT INTO aiflow_task_executions (id, workflow_execution_id, workflow_name, task_name, attempt, runner_type, "
                        + "status, message, create_time, update_time) VALUES (100, 10, 'flow', 't', 1, 'process', 'RUNNING', '', 0, 0), "
                        + "(200, 20, 'flow', 't', 1, 'process', 'RUNNING', '', 0, 0)");
                c.commit();
            }
            JdbcStorage storage = JdbcStorage.open(db.dataSource()); // applies V6
            assertThat(storage.schedulerStore().findExecution(10).orElseThrow().namespace()).isEqualTo("team-a");
            assertThat(storage.schedulerStore().findExecution(20).orElseThrow().namespace()).isEqualTo("team-b");
            assertThat(storage.schedulerStore().listTasks(new TaskQuery("team-b", "flow", null, null, 10)))
                    .extracting(TaskExecution::id).containsExactly(200L);
            assertThat(storage.schedulerStore().findTask(100).orElseThrow().namespace()).isEqualTo("team-a");
        }
    }
}
