package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.TokenService;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.api.stats.SchedulerStatistics;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Scheduler} in OSGi and registers it as the {@link SchedulerService}. Job runners,
 * condition types and scheduling policies are whiteboards (multiple, dynamic): plugins come and go
 * while the scheduler runs. The storage backend and the notification service are static: when the
 * backend is switched the scheduler restarts on the new one and resumes from its stored cursor.
 * The token service is optional and dynamic: with one, each task gets its own token. The built-in
 * condition types and policies are services of this bundle on the same whiteboards, ranked lowest,
 * so that a plugin of the same name replaces one the OSGi way.
 *
 * <p>The {@link SchedulerService} and {@link ClusterService} are registered by hand at the end of
 * {@link #activate}, not declared to DS ({@code service = {}}): a node must offer them only after its
 * first try for the scheduling lease (a node that can lead at once has led, and bootstrapped its
 * workflows, when the service appears; readiness reports the scheduler up from that moment). DS
 * cannot keep that order: it registers the service of an immediate component <em>before</em> it
 * activates the component (Declarative Services 112.5.3, immediate components: register, then
 * activate; Felix SCR does just that), and a delayed component's service is registered as soon as
 * it is satisfied and activated only at its first use. Either way readiness (which looks for the
 * service in the registry) would report the scheduler up before the first lease try, and a caller
 * on another thread would wait in {@code getService} for that try (up to 30 s here), or fail after
 * SCR's lock timeout.
 */
@Component(configurationPid = "org.aiflow.scheduler", service = {}, property = {
        SchedulerComponent.BUILT_IN_CONDITIONS + ".cardinality.minimum:Integer=" + BuiltInConditions.COUNT,
        SchedulerComponent.BUILT_IN_POLICIES + ".cardinality.minimum:Integer=" + BuiltInPolicies.COUNT})
@Designate(ocd = SchedulerComponent.Config.class)
public class SchedulerComponent {
    static final String BUILT_IN_CONDITIONS = "builtInConditions";
    static final String BUILT_IN_POLICIES = "builtInPolicies";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    @ObjectClassDefinition(name = "AI Flow scheduler")
    public @interface Config {
        @AttributeDefinition(name = "Tick", description = "How often running jobs are polled and queued ones dispatched, in milliseconds")
        long tickMillis() default 500;

        @AttributeDefinition(name = "Log directory", description = "Where task execution logs are written; empty means <data>/aiflow/logs, <data> being the system property aiflow.data, else karaf.data, else <java.io.tmpdir>/aiflow-data")
        String logDirectory() default "";

        @AttributeDefinition(name = "Bootstrap workflows", description = "Directory of workflow files (*.json, *.yaml, *.yml) uploaded and started "
                + "when the store does not know them yet, e.g. the sample workflow at first boot; empty means none")
        String bootstrapDirectory() default "";

        @AttributeDefinition(name = "Platform URL", description = "The platform's REST base given to every task as AIFLOW_URL "
                + "(flink: ${aiflow.url}); empty means http://127.0.0.1:<the HTTP server's port>/aiflow/v1")
        String platformUrl() default "";

        @AttributeDefinition(name = "Node id", description = "This node's id in a cluster on one database; empty means "
                + "<host name>-<hash of the installation directory>, the same after a restart")
        String nodeId() default "";

        @AttributeDefinition(name = "Lease timeout", description = "How long the scheduling lease lasts without renewal, in "
                + "milliseconds: after a leader dies, another node takes over within this time")
        long leaseTimeoutMillis() default 10_000;

        @AttributeDefinition(name = "Lease renewal", description = "How often the leader renews the scheduling lease (and every "
                + "node records its heartbeat), in milliseconds; well below the lease timeout")
        long leaseRenewMillis() default 1_000;

        @AttributeDefinition(name = "Command poll", description = "How often the leader runs the changes asked for on other nodes "
                + "(start an execution, stop a task, ...), in milliseconds: what such a call waits at most for the leader to see it")
        long commandPollMillis() default 100;
    }

    private final PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
    private final PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
    private final PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
    private final TaskTokens tokens = new TaskTokens();

    /**
     * Gates, not used otherwise: the component starts only once this bundle's built-in condition
     * types and policies (DS components ranked {@link PluginRegistry#BUILT_IN_RANKING}, marked
     * {@link BuiltInConditions#MARKER}) are registered, minimum cardinalities in the component's
     * properties. Without them a scheduler that started first would skip the rules of a built-in type
     * on the events it replays. The whiteboards below bind the same services.
     */
    @Reference(name = BUILT_IN_CONDITIONS, service = ConditionType.class, target = "(" + BuiltInConditions.MARKER + "=true)",
            cardinality = ReferenceCardinality.MULTIPLE)
    private List<ConditionType> builtInConditions;

    @Reference(name = BUILT_IN_POLICIES, service = SchedulingPolicy.class, target = "(" + BuiltInConditions.MARKER + "=true)",
            cardinality = ReferenceCardinality.MULTIPLE)
    private List<SchedulingPolicy> builtInPolicies;

    /**
     * Mandatory: its stores, taken together, so that the scheduler sees the {@link ClusterStore}
     * together with the {@link SchedulerStore} (of the same database) or neither. A scheduler that
     * started without a ClusterStore would lead unfenced, and with another node on the same
     * database start jobs twice (ClusterFailoverIT saw it while the storage registered its stores
     * one after the other); with one service for all stores there is no such moment.
     */
    @Reference
    private StorageBackend storage;

    @Reference
    private NotificationService notifications;

    private SchedulerStore store;
    private Scheduler scheduler;
    private Leadership leadership;
    private ServiceRegistration<SchedulerService> registration;
    private ServiceRegistration<ClusterService> clusterRegistration;
    private ServiceRegistration<SchedulerStatistics> statsRegistration;
    private final AtomicBoolean bootstrapped = new AtomicBoolean();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindRunner(JobRunner runner, Map<String, Object> properties) {
        if (!runners.add(runner, properties)) {
            LOG.warn("Ignoring job runner {}: it has no {} service property", runner, JobRunner.TYPE_PROPERTY);
        }
    }

    void unbindRunner(JobRunner runner) {
        runners.remove(runner);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCondition(ConditionType condition, Map<String, Object> properties) {
        if (!conditions.add(condition, properties)) {
            LOG.warn("Ignoring condition type {}: it has no {} service property", condition, ConditionType.TYPE_PROPERTY);
        }
    }

    void unbindCondition(ConditionType condition) {
        conditions.remove(condition);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPolicy(SchedulingPolicy policy, Map<String, Object> properties) {
        if (!policies.add(policy, properties)) {
            LOG.warn("Ignoring scheduling policy {}: it has no {} service property", policy, SchedulingPolicy.NAME_PROPERTY);
        }
    }

    void unbindPolicy(SchedulingPolicy policy) {
        policies.remove(policy);
    }

    /** Optional: without a token service (embedded without security) tasks get no token. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTokenService(TokenService service) {
        tokens.bind(service);
    }

    void unbindTokenService(TokenService service) {
        tokens.unbind(service);
    }

    @Activate
    void activate(BundleContext context, Config config) {
        store = storage.schedulerStore();
        ClusterStore cluster = storage.clusterStore();
        Path logRoot = config.logDirectory().isBlank()
                ? DataDirectory.root().resolve("aiflow").resolve("logs")
                : Paths.get(config.logDirectory());
        String platformUrl = config.platformUrl();
        Supplier<String> url = () -> PlatformUrlInOsgi.resolve(platformUrl, context);
        scheduler = new Scheduler(store, notifications, runners, conditions, policies, logRoot, tokens, url, SchedulerStats.BUNDLE);
        Path bootstrap = config.bootstrapDirectory().isBlank() ? null : Paths.get(config.bootstrapDirectory());
        scheduler.startTicks(config.tickMillis());
        String nodeId = NodeIds.resolve(config.nodeId());
        // a caller waits for the leader at least as long as a failover takes
        scheduler.relayThrough(new CommandRelay(cluster, nodeId, Duration.ofMillis(config.leaseTimeoutMillis()).plusSeconds(10)),
                Math.max(10, config.commandPollMillis()));
        leadership = new Leadership(cluster, nodeId, Duration.ofMillis(config.leaseTimeoutMillis()),
                Duration.ofMillis(Math.max(100, Math.min(config.leaseRenewMillis(), config.leaseTimeoutMillis() / 3))), url,
                NodeIds.hostName(), new Leadership.Listener() {
                    @Override
                    public void lead(LeaderFence fence) {
                        scheduler.lead(fence);
                        if (bootstrapped.compareAndSet(false, true)) {
                            bootstrap(bootstrap);
                        }
                    }

                    @Override
                    public void stepDown(String why) {
                        scheduler.stepDown();
                    }
                });
        scheduler.onFenced(leadership::fenced);
        scheduler.leaseCheck(leadership::holdsLease);
        leadership.start(); // the first lease try, waited for: only then the services (see the class comment)
        clusterRegistration = context.registerService(ClusterService.class, leadership, null);
        registration = context.registerService(SchedulerService.class, scheduler, null);
        statsRegistration = context.registerService(SchedulerStatistics.class, SchedulerStats.BUNDLE, null);
    }

    @Deactivate
    void deactivate() {
        statsRegistration.unregister();
        registration.unregister();
        clusterRegistration.unregister();
        leadership.close(); // gives the lease up: another node takes over at once
        scheduler.close();
    }

    /** Uploads and starts each workflow file whose workflow the store does not have yet. */
    private void bootstrap(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{json,yaml,yml}")) {
            for (Path file : files) {
                try {
                    WorkflowDefinition def = SchedulerJson.readWorkflow(file.getFileName().toString(), Files.readString(file));
                    if (store.findWorkflow(def.namespace(), def.name()).isEmpty()) {
                        scheduler.upload(def);
                        scheduler.startExecution(def.namespace(), def.name());
                        LOG.info("Installed and started workflow {}/{} from {}", def.namespace(), def.name(), file);
                    }
                } catch (AiflowException | IOException e) {
                    LOG.error("Cannot install workflow file {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot read workflow directory {}: {}", directory, e.getMessage());
        }
    }
}
