package org.aiflow.scheduler;

import java.nio.file.Path;
import java.util.Map;

import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.notification.EventLog;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/**
 * A started scheduler over a fresh H2 store, with plugin registries of its own (the built-ins and one
 * fake runner in them) that a test adds plugins to and removes them from while it runs, as OSGi does.
 */
final class SchedulerOnH2 implements AutoCloseable {
    final PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
    final PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
    final PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
    final FakeJobRunner runner = new FakeJobRunner();
    final SchedulerStore store;
    final EventLog events;
    final Scheduler scheduler;
    private final TestDatabase database;

    SchedulerOnH2(Path logs) throws Exception {
        database = TestDatabases.h2();
        JdbcStorage storage = JdbcStorage.open(database.dataSource());
        store = storage.schedulerStore();
        events = new EventLog(storage.eventStore(), EventLog.Settings.defaults());
        BuiltInConditions.register(conditions);
        BuiltInPolicies.register(policies);
        runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, FakeJobRunner.TYPE));
        scheduler = new Scheduler(store, events, runners, conditions, policies, logs);
        scheduler.start(50);
    }

    @Override
    public void close() {
        scheduler.close();
        events.close();
        database.close();
    }
}
