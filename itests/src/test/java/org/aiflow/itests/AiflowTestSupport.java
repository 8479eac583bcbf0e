package org.aiflow.itests;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What every itest class shares: the real distribution as the container, and helpers to find
 * services, run console commands and wait without sleeping.
 */
// the Karaf container by name: FelixEmbeddingIT puts the native container on the same classpath
@ExamFactory(KarafTestContainerFactory.class)
public abstract class AiflowTestSupport {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    protected static final String MARIADB_SERVER = System.getenv().getOrDefault("AIFLOW_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");

    @Inject
    protected BundleContext context;

    @Inject
    protected SessionFactory sessions;

    @Inject
    protected FeaturesService features;

    @Inject
    protected ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() throws Exception {
        List<Option> options = new ArrayList<>(List.of(
            karafDistributionConfiguration()
                    .frameworkUrl(new File(System.getProperty("aiflow.distribution")).toURI().toString())
                    .name("AI Flow")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // as bin/setenv does for the distribution (Pax Exam does not run it)
            CoreOptions.vmOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    System.getProperty("maven.repo.local")),
            editConfigurationFilePut("etc/org.aiflow.scheduler.cfg", "tickMillis", "200"),
            // the admin a script sets before the first start (docs/security.md); Karaf hashes it when it reads the file
            editConfigurationFilePut("etc/users.properties", Distribution.ADMIN, Distribution.ADMIN_PASSWORD + ",_g_:admingroup")));
        options.addAll(List.of(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /** Options a test class adds to the container's. */
    protected Option[] extraOptions() throws Exception {
        return new Option[0];
    }

    protected <T> T service(Class<T> type) {
        return service(type, null);
    }

    /** The current service of a type (services are re-registered when the backend switches). */
    protected <T> T service(Class<T> type, String filter) {
        Poll.until(WAIT, type.getSimpleName() + " " + (filter == null ? "" : filter + " ") + "is registered",
                () -> !context.getServiceReferences(type, filter).isEmpty());
        try {
            ServiceReference<T> ref = context.getServiceReferences(type, filter).iterator().next();
            return context.getService(ref);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    protected long serviceId(Class<?> type) {
        return (Long) context.getServiceReference(type).getProperty(Constants.SERVICE_ID);
    }

    /** Runs a console command as a user would and returns what it printed (errors included). */
    protected String console(String command) {
        // commands register asynchronously once the services they reference are there
        String name = command.split(" ")[0];
        Poll.until(WAIT, "command " + name + " is registered",
                () -> sessions.getRegistry().getCommand(name.split(":")[0], name.split(":")[1]) != null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
        // as the local console does: a session of the user karaf with Karaf's admin role (the command ACLs check it)
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("karaf"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (PrivilegedActionException e) {
            out.println("Command failed: " + e.getException().getMessage());
        } catch (Exception e) {
            out.println("Command failed: " + e.getMessage());
        } finally {
            session.close();
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("karaf@aiflow()> " + command + "\n" + printed);
        return printed;
    }

    protected Path karafHome() {
        return Paths.get(System.getProperty("karaf.home"));
    }

    protected Path karafData() {
        return Paths.get(System.getProperty("karaf.data"));
    }
}
