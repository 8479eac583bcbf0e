package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.TokenService;
import org.junit.jupiter.api.Test;

/** GET /tokens pages by id, newest first, like the other lists: no ceiling hides tokens. */
class TokenListTest {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    private static Callers.CallerContext as(String grant) {
        return new Callers.CallerContext(new Caller("ada", Caller.Kind.USER, Set.of(Grant.parse(grant))), false, "BASIC");
    }

    @Test
    void aWalkByPageTokenSeesEveryTokenOnce() {
        List<ApiToken> stored = new ArrayList<>(); // newest first, as the store answers
        for (long id = 2_500; id >= 1; id--) {
            stored.add(new ApiToken(id, "t" + id, "robot", List.of(), T0, "admin", null, null, null, null, "aif_x"));
        }
        TokenService service = (TokenService) Proxy.newProxyInstance(TokenService.class.getClassLoader(), new Class<?>[] {TokenService.class},
                (p, m, a) -> {
                    if (m.getName().equals("list") && a.length == 3) {
                        long before = (Long) a[1];
                        return stored.stream().filter(t -> before <= 0 || t.id() < before).limit((Integer) a[2]).toList();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        SecurityResources.Tokens resource = new SecurityResources.Tokens(service);
        List<Long> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            SecurityResources.TokenList page = resource.listTokens(true, "1000", token, as("admin"));
            page.tokens().forEach(t -> seen.add(t.id()));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(seen).hasSize(2_500).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(pages).isEqualTo(3);

        String first = resource.listTokens(true, "2", null, as("admin")).nextPageToken();
        assertThatThrownBy(() -> resource.listTokens(false, "2", first, as("admin"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("other filters");
        assertThatThrownBy(() -> resource.listTokens(true, "2", "garbled!", as("admin"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> resource.listTokens(true, "2", null, as("viewer"))).isInstanceOf(ForbiddenException.class);
    }
}
