package org.aiflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void bodiesAreJsonWithEscapedMessages() {
        assertThat(Problems.json(400, "invalid_argument", "a \"q\" \\ \n\0"))
                .isEqualTo("{\"type\":\"urn:aiflow:problem:invalid_argument\",\"title\":\"Invalid Argument\",\"status\":400,"
                        + "\"detail\":\"a \\\"q\\\" \\\\ \\u000a\\u0000\",\"code\":\"invalid_argument\",\"message\":\"a \\\"q\\\" \\\\ \\u000a\\u0000\"}");
    }

    @Test
    void parserRefusalsBecomeProblemsWithStableCodes() {
        HttpFields fields = new HttpFields();
        String body = StandardCharsets.UTF_8.decode(new JsonErrorHandler().badMessageError(431, "Request Header Fields Too Large", fields)).toString();
        assertThat(fields.get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(body).startsWith("{\"type\":\"urn:aiflow:problem:header_too_large\",\"title\":\"Header Too Large\",\"status\":431,");

        body = StandardCharsets.UTF_8.decode(new JsonErrorHandler().badMessageError(400, "Illegal character SPACE=' '", new HttpFields())).toString();
        assertThat(body).contains("\"status\":400,\"detail\":\"malformed request (Illegal character SPACE=' ')")
                .contains("\"code\":\"invalid_argument\",\"message\":\"malformed request (Illegal character SPACE=' ')");
        assertThat(Problems.title("internal")).isEqualTo("Internal Error");
        assertThat(Problems.code(414)).isEqualTo("uri_too_long");
        assertThat(Problems.code(405)).isEqualTo("method_not_allowed");
        assertThat(Problems.code(502)).isEqualTo("internal");
    }

    @Test
    void charactersNoPathMayHoldRawAreFound() {
        assertThat(ApiGuard.illegalCharacter("/aiflow/v1/tasks/8/logs/..\\..\\pid")).isEqualTo(26);
        for (String bad : new String[] {"/a\"b", "/a<b", "/a>b", "/a^b", "/a`b", "/a{b", "/a|b", "/a}b", "/a\u00e9"}) {
            assertThat(ApiGuard.illegalCharacter(bad)).as(bad).isEqualTo(2);
        }
        assertThat(ApiGuard.illegalCharacter("/aiflow/v1/datasets/a%20b;x=1,y:z@w!$&'()*+-._~")).isEqualTo(-1);
    }
}
