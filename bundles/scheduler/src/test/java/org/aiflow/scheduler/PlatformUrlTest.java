package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** AIFLOW_URL follows the port the HTTP server announces (Pax Web's osgi.http.endpoint), not a guess. */
class PlatformUrlTest {

    @Test
    void theAnnouncedEndpointGivesTheUrlAndAWildcardAddressBecomesLoopback() {
        assertThat(PlatformUrl.fromEndpoints(new String[] {"http://0.0.0.0:8282/"})).contains("http://127.0.0.1:8282/aiflow/v1");
        assertThat(PlatformUrl.fromEndpoints(new String[] {"http://127.0.0.1:8181/"})).contains("http://127.0.0.1:8181/aiflow/v1");
        assertThat(PlatformUrl.fromEndpoints(List.of("https://10.1.2.3:8443/", "http://10.1.2.3:8181/")))
                .contains("http://10.1.2.3:8181/aiflow/v1");
        assertThat(PlatformUrl.fromEndpoints("https://0.0.0.0:8443/")).contains("https://127.0.0.1:8443/aiflow/v1");
        // Pax Web writes IPv6 addresses without brackets
        assertThat(PlatformUrl.fromEndpoints(new String[] {"http://0:0:0:0:0:0:0:0:8181/"})).contains("http://127.0.0.1:8181/aiflow/v1");
        assertThat(PlatformUrl.fromEndpoints(new String[] {"http://0:0:0:0:0:0:0:1:9000/"})).contains("http://[0:0:0:0:0:0:0:1]:9000/aiflow/v1");
    }

    @Test
    void beforeTheServerHasStartedThereIsNoEndpoint() {
        assertThat(PlatformUrl.fromEndpoints("/")).isEqualTo(Optional.empty());
        assertThat(PlatformUrl.fromEndpoints(null)).isEmpty();
        assertThat(PlatformUrl.fromEndpoints(new String[0])).isEmpty();
    }

    @Test
    void aConfiguredUrlWinsWithoutItsTrailingSlash() {
        assertThat(PlatformUrl.standalone(" https://aiflow.example.com/aiflow/v1/ ")).isEqualTo("https://aiflow.example.com/aiflow/v1");
        assertThat(PlatformUrl.standalone("")).startsWith("http://127.0.0.1:").endsWith("/aiflow/v1");
    }
}
