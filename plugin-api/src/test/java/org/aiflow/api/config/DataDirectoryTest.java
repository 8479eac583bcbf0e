package org.aiflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DataDirectoryTest {
    @Test
    void aiflowDataBeatsKarafDataBeatsTheTemporaryDirectory() {
        assertThat(DataDirectory.root("/srv/aiflow", "/opt/karaf/data", "/tmp")).isEqualTo(Path.of("/srv/aiflow"));
        assertThat(DataDirectory.root(" ", "/opt/karaf/data", "/tmp")).isEqualTo(Path.of("/opt/karaf/data"));
        assertThat(DataDirectory.root(null, null, "/var/tmp")).isEqualTo(Path.of("/var/tmp/aiflow-data"));
        assertThat(DataDirectory.root(null, "", "/var/tmp").isAbsolute()).isTrue();
    }
}
