package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

import javax.security.auth.Subject;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.Role;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.shell.TestConsole.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of an aiflow: command ends it with one line through the session (a CommandException,
 * exit status 1 in {@code bin/client -b}), whatever threw it; and {@code aiflow:backup}'s refusals.
 */
class CommandFailuresTest {
    private static final Subject ADMIN = TestConsole.user("alice", "admin");
    private final TestConsole console = new TestConsole();

    @TempDir
    Path dir;

    /** A command that fails with what {@code failure} makes. */
    @Needs(Role.VIEWER)
    static final class Failing extends AiflowCommand {
        private final Supplier<RuntimeException> failure;

        Failing(Supplier<RuntimeException> failure) {
            this.failure = failure;
        }

        @Override
        void run() {
            System.out.println("started");
            throw failure.get();
        }
    }

    private String error(Supplier<RuntimeException> failure) throws Exception {
        Result r = console.run(ADMIN, console.wire(new Failing(failure)));
        assertThat(r.error()).as("ended by a CommandException").isNotNull().doesNotContain("\n");
        return r.error();
    }

    @Test
    void badInputThatIsNoAiflowExceptionIsAnInvalidArgument() throws Exception {
        assertThat(error(() -> new NumberFormatException("For input string: \"ten\""))).isEqualTo("Error [invalid_argument]: not a number: \"ten\"");
        assertThat(error(() -> new IllegalArgumentException("No enum constant org.aiflow.api.workflow.Action.JUMP")))
                .isEqualTo("Error [invalid_argument]: No enum constant org.aiflow.api.workflow.Action.JUMP");
        String date = error(() -> {
            try {
                Instant.parse("yesterday");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(date).startsWith("Error [invalid_argument]: Text 'yesterday' could not be parsed");
        assertThat(error(() -> new IllegalArgumentException("Unexpected character ('x')\n at [Source: (String)\"x\"; line: 1]")))
                .as("a library's message over lines becomes one").isEqualTo("Error [invalid_argument]: Unexpected character ('x') at [Source: (String)\"x\"; line: 1]");
    }

    @Test
    void aFileProblemIsUnavailableAndABugIsInternal() throws Exception {
        assertThat(error(() -> new UncheckedIOException(new NoSuchFileException("/no/such/file"))))
                .isEqualTo("Error [unavailable]: /no/such/file");
        assertThat(error(() -> new IllegalStateException("boom")))
                .isEqualTo("Error [internal]: java.lang.IllegalStateException: boom (the stack trace is in data/log/karaf.log)");
        assertThat(error(NullPointerException::new)).startsWith("Error [internal]: java.lang.NullPointerException");
        assertThat(error(() -> new ValidationException("limit must be between 1 and 10000")))
                .isEqualTo("Error [invalid_argument]: limit must be between 1 and 10000");
    }

    @Test
    void anUploadOfAMissingFileFailsWithItsName() throws Exception {
        WorkflowUploadCommand upload = console.wire(new WorkflowUploadCommand());
        upload.file = dir.resolve("missing.yaml").toString();
        assertThat(console.run(ADMIN, upload).error()).isEqualTo("Error [invalid_argument]: cannot read workflow file " + dir.resolve("missing.yaml") + ": it does not exist");
    }

    @Test
    void backupSaysWhatToUseForOtherBackendsAndNeedsAdmin() throws Exception {
        BackupCommand backup = console.wire(new BackupCommand());
        backup.storage = backend("MariaDB");
        backup.file = dir.resolve("b.zip").toString();
        assertThat(console.run(ADMIN, backup).error()).isEqualTo("Error [unavailable]: backup is not supported for backend MariaDB: use "
                + "mariadb-dump --single-transaction (docs/operations.md, Backup and restore)");
        backup.storage = backend("PostgreSQL");
        assertThat(console.run(ADMIN, backup).error()).contains("backend PostgreSQL: use pg_dump");
        assertThat(console.run(TestConsole.user("bob", "viewer", "author"), backup).error()).startsWith("Error [forbidden]:");
        backup.storage = null;
        assertThat(console.run(ADMIN, backup).error()).startsWith("Error [unavailable]: the storage is not running");
        assertThat(Files.exists(dir.resolve("b.zip"))).isFalse();
    }

    @Test
    void backupOfTheEmbeddedStorePrintsWhereItWentAndHowToRestoreIt() throws Exception {
        BackupCommand backup = console.wire(new BackupCommand());
        backup.storage = backend("H2");
        backup.file = dir.resolve("b.zip").toString();
        backup.backups = (file, overwrite) -> null;
        assertThat(console.run(ADMIN, backup).error()).contains("the embedded store's backup service (bundle org.aiflow.storage.h2) is not running");
        backup.backups = (file, overwrite) -> new BackupCommand.Backups.Done(file, 1234, 56789, 42);
        Result r = console.run(ADMIN, backup);
        assertThat(r.error()).isNull();
        assertThat(r.out()).contains("Backup written to " + dir.resolve("b.zip") + ": 1234 bytes (database 56789 bytes) in 42 ms.",
                "bin/aiflow-restore " + dir.resolve("b.zip"));
    }

    private static StorageBackend backend(String name) {
        return (StorageBackend) Proxy.newProxyInstance(CommandFailuresTest.class.getClassLoader(), new Class<?>[] {StorageBackend.class},
                (p, m, args) -> {
                    if (m.getName().equals("name")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
