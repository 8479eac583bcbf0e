package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.TokenService;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.SchedulerStore;
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
 * while the scheduler runs. The store and the notification service are static: when the storage
 * backend is switched the scheduler restarts on the new one and resumes from its stored cursor.
 * The token service is optional and dynamic: with one, each task gets its own token.
 */
@Component(configurationPid = "org.aiflow.scheduler", service = {})
@Designate(ocd = SchedulerComponent.Config.class)
public class SchedulerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerComponent.class);

    @ObjectClassDefinition(name = "AI Flow scheduler")
    public @interface Config {
        @AttributeDefinition(name = "Tick", description = "How often running jobs are polled and queued ones dispatched, in milliseconds")
        long tickMillis() default 500;

        @AttributeDefinition(name = "Log directory", description = "Where task execution logs are written; empty means ${karaf.data}/aiflow/logs")
        String logDirectory() default "";

        @AttributeDefinition(name = "Bootstrap workflows", description = "Directory of workflow files (*.json, *.yaml, *.yml) uploaded and started "
                + "when the store does not know them yet, e.g. the sample workflow at first boot; empty means none")
        String bootstrapDirectory() default "";

        @AttributeDefinition(name = "Platform URL", description = "The platform's REST base given to every task as AIFLOW_URL "
                + "(flink: ${aiflow.url}); empty means http://127.0.0.1:<the HTTP server's port>/aiflow/v1")
        String platformUrl() default "";
    }

    private final PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
    private final PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
    private final PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
    private final TaskTokens tokens = new TaskTokens();

    {
        BuiltInConditions.register(conditions);
        BuiltInPolicies.register(policies);
    }

    @Reference
    private SchedulerStore store;

    @Reference
    private NotificationService notifications;

    private Scheduler scheduler;
    private ServiceRegistration<SchedulerService> registration;

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
        Path logRoot = config.logDirectory().isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "aiflow", "logs")
                : Paths.get(config.logDirectory());
        String platformUrl = config.platformUrl();
        scheduler = new Scheduler(store, notifications, runners, conditions, policies, logRoot, tokens,
                () -> PlatformUrl.resolve(platformUrl, context));
        scheduler.start(config.tickMillis());
        if (!config.bootstrapDirectory().isBlank()) {
            bootstrap(Paths.get(config.bootstrapDirectory()));
        }
        registration = context.registerService(SchedulerService.class, scheduler, null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        scheduler.close();
    }

    /** Uploads and starts each workflow file whose workflow the store does not have yet. */
    private void bootstrap(Path directory) {
        if (!Files.isDirectory(directory)) {
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
