package org.aiflow.benchmarks;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/** Entry point of {@code benchmarks/run.sh <suite> <h2|mariadb> <seconds-per-measure>}. */
public final class BenchmarkMain {
    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        String suite = args.length > 0 ? args[0] : "";
        String backend = args.length > 1 ? args[1] : "h2";
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        if (!backend.equals("h2") && !backend.equals("mariadb")) {
            fail("backend must be h2 or mariadb, not '" + backend + "'");
        }
        System.out.printf("# suite=%s backend=%s seconds-per-measure=%d cores=%d java=%s%n", suite, backend, seconds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (suite.equals("web")) { // needs no database of its own: the platform brings its store
            new WebSuite(backend, seconds).run();
            System.exit(0);
        }
        try (TestDatabase db = backend.equals("h2") ? TestDatabases.h2() : TestDatabases.mariadb()) {
            switch (suite) {
                case "notification" -> new NotificationSuite(db, seconds).run();
                case "metadata" -> new MetadataSuite(db, backend, seconds).run();
                case "scheduler" -> new SchedulerSuite(db, seconds).run();
                case "storage" -> new StorageSuite(db, backend).run();
                default -> fail("unknown suite '" + suite + "' (known: notification, metadata, scheduler, storage, web; kill9 runs through run.sh)");
            }
        }
        System.exit(0); // no lingering pool or subscription threads
    }

    private static void fail(String message) {
        System.err.println("benchmarks: " + message);
        System.exit(2);
    }
}
