package org.aiflow.shell;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.security.Role;
import org.aiflow.api.spi.storage.StorageBackend;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.osgi.framework.BundleContext;

@Command(scope = "aiflow", name = "backup",
        description = "Writes an online backup of the embedded H2 store to a file (a zip of a consistent copy) while the platform runs "
                + "(admin). Restore it on the stopped platform with bin/aiflow-restore <file>. MariaDB and PostgreSQL are backed up "
                + "with their own tools (docs/operations.md).")
@Needs(Role.ADMIN)
@Service
public class BackupCommand extends AiflowCommand {
    /** The storage in use: its name says whether this command can back it up. Optional: without it the command says so. */
    @Reference(optional = true)
    StorageBackend storage;

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "file", description = "The backup file to write (absolute, or relative to the platform's working directory);"
            + " its folder must exist", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "-f", aliases = "--force", description = "Replace the file if it exists")
    boolean force;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    /** Where backups come from; a test sets its own. */
    Backups backups;

    /** Backs up the embedded store to a file; null when no backup service of it runs. */
    interface Backups {
        Backups.Done backup(Path file, boolean overwrite);

        record Done(Path file, long bytes, long databaseBytes, long millis) {
        }
    }

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        String backend = storage == null ? null : storage.name();
        if (backend == null) {
            throw new UnavailableException("the storage is not running: nothing to back up (aiflow:cluster-status, data/log/karaf.log)", null);
        }
        if (!backend.equals("H2")) {
            throw new UnavailableException(notSupported(backend), null);
        }
        Path target = Paths.get(file).toAbsolutePath().normalize();
        Backups.Done done;
        try {
            done = (backups != null ? backups : new EmbeddedStoreBackups(bundleContext)).backup(target, force);
        } catch (NoClassDefFoundError e) {
            done = null; // the H2 bundle (and so its backup package) is not installed
        }
        if (done == null) {
            throw new UnavailableException("backup is not supported for this H2 store: the embedded store's backup service"
                    + " (bundle org.aiflow.storage.h2) is not running", null);
        }
        caller.audit("storage.backup", null, done.file().toString(), done.bytes() + " bytes");
        if (json) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("file", done.file().toString());
            shown.put("bytes", done.bytes());
            shown.put("databaseBytes", done.databaseBytes());
            shown.put("millis", done.millis());
            Output.json(System.out, shown);
            return;
        }
        System.out.printf("Backup written to %s: %d bytes (database %d bytes) in %d ms.%n", done.file(), done.bytes(), done.databaseBytes(),
                done.millis());
        System.out.println("Restore it on the stopped platform with: bin/aiflow-restore " + done.file());
    }

    /** What to use instead, for backends whose data this command cannot copy. */
    static String notSupported(String backend) {
        String use = switch (backend) {
            case "MariaDB", "MySQL" -> "mariadb-dump --single-transaction";
            case "PostgreSQL" -> "pg_dump";
            default -> "the database's own backup tool";
        };
        return "backup is not supported for backend " + backend + ": use " + use + " (docs/operations.md, Backup and restore)";
    }
}
