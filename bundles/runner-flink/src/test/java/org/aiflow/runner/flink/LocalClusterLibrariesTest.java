package org.aiflow.runner.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster's libraries fetched from a zip when the library directory does not exist (a stock Karaf). */
class LocalClusterLibrariesTest {
    @TempDir
    Path tmp;

    private LocalClusterProcess cluster(Path lib, String artifact) {
        return new LocalClusterProcess("local", lib, artifact, tmp.resolve("state"), tmp.resolve("cluster.log"), 0, 1, List.of(),
                Duration.ofSeconds(5));
    }

    private Path zip(String... entries) throws IOException {
        Path zip = tmp.resolve("lib.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("lib/"));
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                out.write(e.getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    @Test
    void theZipsLibDirectoryIsUnpackedIntoTheLibraryDirectoryAndNothingIsLeftBeside() throws Exception {
        Path lib = tmp.resolve("data/flink/lib/mvn_org.aiflow_x_1.0_zip_lib");
        cluster(lib, zip("lib/org.aiflow.flink.cluster-1.0.jar", "lib/flink-runtime-2.3.0.jar").toUri().toString()).fetchLibraries();

        assertThat(lib.resolve("org.aiflow.flink.cluster-1.0.jar")).hasContent("lib/org.aiflow.flink.cluster-1.0.jar");
        assertThat(lib.resolve("flink-runtime-2.3.0.jar")).exists();
        try (var beside = Files.list(lib.getParent())) {
            assertThat(beside).containsExactly(lib);
        }
    }

    @Test
    void anEntryPointingOutsideIsRefusedAndLeavesNoDirectory() throws Exception {
        Path lib = tmp.resolve("data/flink/lib/x");
        LocalClusterProcess c = cluster(lib, zip("lib/../../../evil.jar").toUri().toString());

        assertThatThrownBy(c::fetchLibraries).isInstanceOf(FlinkRestException.class).hasMessageContaining("outside the library directory");
        assertThat(lib).doesNotExist();
        assertThat(tmp.resolve("data/flink/evil.jar")).doesNotExist();
        try (var beside = Files.list(lib.getParent())) {
            assertThat(beside).isEmpty();
        }
    }

    @Test
    void anArtifactThatCannotBeReadNamesTheDirectoryAndTheArtifact() {
        Path lib = tmp.resolve("data/flink/lib/y");
        String missing = tmp.resolve("missing.zip").toUri().toString();

        assertThatThrownBy(cluster(lib, missing)::fetchLibraries).isInstanceOf(FlinkRestException.class)
                .hasMessageContaining(lib.toString()).hasMessageContaining(missing);
    }
}
