package org.aiflow.itests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad-input table of {@link BadInputIT}: each case one raw request and the 4xx it must get.
 * Application-level cases (the REST layer's own checks) are in {@link #application()}; cases the
 * servlet container answers before the REST layer sees them are in {@link #container()}.
 */
final class BadInputCases {
    static final String API = "/aiflow/v1/";
    static final String JSON = "Content-Type: application/json";

    /** One request and the answer it must get. */
    record Case(String name, String method, byte[] target, byte[] body, String[] headers, int status, String code) {
        @Override
        public String toString() {
            return name + " (" + method + " " + new String(target, StandardCharsets.UTF_8) + ")";
        }
    }

    /** A body endpoint: {@code @} in the template marks one string value (a name or key) that cases replace. */
    private record BodyEndpoint(String method, String path, String template) {
        byte[] with(byte[] value) {
            int at = template.indexOf('@');
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
            b.writeBytes(value);
            b.writeBytes(template.substring(at + 1).getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        }

        String valid() {
            return template.replace("@", "bi-x");
        }
    }

    private static final List<BodyEndpoint> BODY_ENDPOINTS = List.of(
            new BodyEndpoint("POST", "events", "{\"namespace\":\"bi\",\"key\":\"@\",\"value\":\"v\"}"),
            new BodyEndpoint("POST", "events/batch", "{\"events\":[{\"namespace\":\"bi\",\"key\":\"@\",\"value\":\"v\"}]}"),
            new BodyEndpoint("POST", "subscriptions", "{\"name\":\"@\"}"),
            new BodyEndpoint("POST", "subscriptions/sub/ack", "{\"version\":0,\"x\":\"@\"}"),
            new BodyEndpoint("POST", "projects", "{\"name\":\"@\"}"),
            new BodyEndpoint("PUT", "projects/bi", "{\"revision\":1,\"project\":{\"name\":\"bi\",\"description\":\"@\"}}"),
            new BodyEndpoint("POST", "datasets?namespace=bi", "{\"name\":\"@\",\"uri\":\"file:/d\",\"format\":\"csv\"}"),
            new BodyEndpoint("PUT", "datasets/ds?namespace=bi", "{\"revision\":1,\"dataset\":{\"name\":\"ds\",\"uri\":\"file:/@\"}}"),
            new BodyEndpoint("POST", "models?namespace=bi", "{\"name\":\"@\"}"),
            new BodyEndpoint("POST", "models/m/versions?namespace=bi", "{\"uri\":\"file:/@\"}"),
            new BodyEndpoint("POST", "models/m/versions/1/stage?namespace=bi", "{\"stage\":\"VALIDATED\",\"x\":\"@\"}"),
            new BodyEndpoint("POST", "artifacts?namespace=bi", "{\"name\":\"@\",\"type\":\"text\",\"uri\":\"file:/a\"}"),
            new BodyEndpoint("PUT", "artifacts/art?namespace=bi", "{\"revision\":1,\"artifact\":{\"name\":\"art\",\"type\":\"@\",\"uri\":\"file:/a\"}}"),
            new BodyEndpoint("POST", "metrics?namespace=bi", "{\"name\":\"@\",\"kind\":\"DATASET\",\"datasetName\":\"ds\"}"),
            new BodyEndpoint("POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"@\",\"value\":1}]}"),
            new BodyEndpoint("POST", "lineage", "{\"namespace\":\"bi\",\"taskExecutionId\":1,\"direction\":\"READ\",\"entities\":[{\"kind\":\"DATASET\",\"name\":\"@\"}]}"),
            new BodyEndpoint("POST", "workflows", "{\"namespace\":\"bi\",\"name\":\"wf2\",\"description\":\"@\",\"tasks\":[{\"name\":\"t\","
                    + "\"job\":{\"runnerType\":\"process\",\"config\":{\"command\":\"echo t\"}}}]}"));

    private static final byte[] OVERLONG_SLASH = {(byte) 0xC0, (byte) 0xAF};
    private static final byte[] INVALID_UTF8 = {'a', (byte) 0xFF, 'b'};
    private static final byte[] RAW_SURROGATE = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};

    private BadInputCases() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Case of(String name, String method, String path, byte[] body, int status, String code, String... headers) {
        return new Case(name, method, utf8(API + path), body, headers, status, code);
    }

    static List<Case> application() {
        List<Case> cases = new ArrayList<>();
        for (BodyEndpoint e : BODY_ENDPOINTS) {
            String m = e.method();
            String p = e.path();
            String v = e.valid();
            cases.add(of("malformed JSON", m, p, utf8(v.substring(0, v.length() / 2)), 400, "invalid_argument", JSON));
            cases.add(of("null body", m, p, utf8("null"), 400, "invalid_argument", JSON));
            cases.add(of("array body", m, p, utf8("[" + v + "]"), 400, "invalid_argument", JSON));
            cases.add(of("string body", m, p, utf8("\"x\""), 400, "invalid_argument", JSON));
            cases.add(of("number body", m, p, utf8("1e999999"), 400, "invalid_argument", JSON));
            cases.add(of("empty JSON body", m, p, new byte[0], 400, "invalid_argument", JSON));
            cases.add(of("trailing garbage", m, p, utf8(v + " x"), 400, "invalid_argument", JSON));
            cases.add(of("second document", m, p, utf8(v + v), 400, "invalid_argument", JSON));
            cases.add(of("unknown field", m, p, utf8(v.replaceFirst("\\{", "{\"nosuchfield\":1,")), 400, "invalid_argument", JSON));
            cases.add(of("invalid UTF-8", m, p, e.with(INVALID_UTF8), 400, "invalid_argument", JSON));
            cases.add(of("overlong UTF-8 C0 AF", m, p, e.with(OVERLONG_SLASH), 400, "invalid_argument", JSON));
            cases.add(of("UTF-8 encoded surrogate", m, p, e.with(RAW_SURROGATE), 400, "invalid_argument", JSON));
            cases.add(of("lone surrogate escape", m, p, e.with(utf8("\\ud800x")), 400, "invalid_argument", JSON));
            cases.add(of("lone low surrogate escape", m, p, e.with(utf8("x\\udc00")), 400, "invalid_argument", JSON));
            cases.add(of("number for a string", m, p, utf8(v.replaceFirst("\"[^\"]*bi-x[^\"]*\"", "12")), 400, "invalid_argument", JSON));
            cases.add(of("no Content-Type", m, p, utf8(v), 415, "unsupported_media_type"));
            cases.add(of("empty Content-Type", m, p, utf8(v), 415, "unsupported_media_type", "Content-Type: "));
            cases.add(of("garbage Content-Type", m, p, utf8(v), 415, "unsupported_media_type", "Content-Type: garbage"));
            cases.add(of("text/plain", m, p, utf8(v), 415, "unsupported_media_type", "Content-Type: text/plain"));
            cases.add(of("application/xml", m, p, utf8(v), 415, "unsupported_media_type", "Content-Type: application/xml"));
            cases.add(of("JSON in Latin-1", m, p, utf8(v), 415, "unsupported_media_type", "Content-Type: application/json; charset=ISO-8859-1"));
            cases.add(of("Accept q=0", m, p, utf8(v), 406, "not_acceptable", JSON, "Accept: application/json;q=0"));
            cases.add(of("Accept text/html only", m, p, utf8(v), 406, "not_acceptable", JSON, "Accept: text/html"));
            if (List.of("events", "datasets?namespace=bi", "metrics/met/values?namespace=bi", "workflows").contains(p)) {
                cases.add(of("chunked oversize body", m, p, oversize(v), 413, "too_large", JSON, "Transfer-Encoding: chunked"));
            }
        }
        cases.add(of("oversize body", "POST", "events", oversize(BODY_ENDPOINTS.get(0).valid()), 413, "too_large", JSON));
        cases.add(of("YAML for a JSON endpoint", "POST", "datasets?namespace=bi", utf8("name: d\nuri: file:/d\n"), 415,
                "unsupported_media_type", "Content-Type: application/yaml"));
        names(cases);
        numbers(cases);
        workflowDocuments(cases);
        queries(cases);
        return cases;
    }

    /** 17 MB: over the default 16 MiB body cap, inside a string so only its size is wrong. */
    private static byte[] oversize(String valid) {
        return utf8(valid.replace("bi-x", "x".repeat(17 * 1024 * 1024)));
    }

    private static void names(List<Case> cases) {
        List<String> bad = List.of(".", "..", "../../etc/passwd", "a/b", "a\\\\b", "..\\\\..\\\\pid", "a\\u0001b", "x".repeat(256), "");
        for (String name : bad) {
            String n = "name " + (name.length() > 20 ? name.length() + " chars" : "'" + name + "'");
            cases.add(of(n, "POST", "datasets?namespace=bi", utf8("{\"name\":\"" + name + "\",\"uri\":\"file:/d\"}"), 400, "invalid_argument", JSON));
            cases.add(of(n, "POST", "artifacts?namespace=bi", utf8("{\"name\":\"" + name + "\",\"type\":\"t\",\"uri\":\"file:/a\"}"), 400,
                    "invalid_argument", JSON));
            cases.add(of(n, "POST", "models?namespace=bi", utf8("{\"name\":\"" + name + "\"}"), 400, "invalid_argument", JSON));
            cases.add(of(n, "POST", "metrics?namespace=bi", utf8("{\"name\":\"" + name + "\",\"kind\":\"DATASET\",\"datasetName\":\"ds\"}"), 400,
                    "invalid_argument", JSON));
            cases.add(of(n, "POST", "projects", utf8("{\"name\":\"" + name + "\"}"), 400, "invalid_argument", JSON));
            cases.add(of(n, "POST", "subscriptions", utf8("{\"name\":\"" + name + "\"}"), 400, "invalid_argument", JSON));
            if (!name.isEmpty()) { // an empty namespace is the default one
                cases.add(of(n + " as namespace", "POST", "events", utf8("{\"namespace\":\"" + name + "\",\"key\":\"k\"}"), 400,
                        "invalid_argument", JSON));
            }
            cases.add(of(n + " in lineage", "POST", "lineage", utf8("{\"namespace\":\"bi\",\"taskExecutionId\":1,\"direction\":\"READ\","
                    + "\"entities\":[{\"kind\":\"DATASET\",\"name\":\"" + name + "\"}]}"), 400, "invalid_argument", JSON));
            cases.add(of(n + " as workflow", "POST", "workflows", utf8("{\"namespace\":\"bi\",\"name\":\"" + name + "\",\"tasks\":[{\"name\":\"t\","
                    + "\"job\":{\"runnerType\":\"process\",\"config\":{\"command\":\"echo t\"}}}]}"), 400, "invalid_argument", JSON));
        }
        cases.add(of("log file '..\\..\\pid' (encoded)", "GET", "tasks/1/logs/..%5C..%5Cpid", null, 400, "invalid_argument"));
        cases.add(of("log file 'a\\b' (encoded)", "GET", "tasks/1/logs/a%5Cb", null, 400, "invalid_argument"));
    }

    private static void numbers(List<Case> cases) {
        String[][] bodies = {
            {"PUT", "datasets/ds?namespace=bi", "{\"revision\":1.5,\"dataset\":{\"name\":\"ds\",\"uri\":\"file:/x\"}}"},
            {"PUT", "datasets/ds?namespace=bi", "{\"revision\":\"1\",\"dataset\":{\"name\":\"ds\",\"uri\":\"file:/x\"}}"},
            {"PUT", "datasets/ds?namespace=bi", "{\"revision\":99999999999999999999999,\"dataset\":{\"name\":\"ds\",\"uri\":\"file:/x\"}}"},
            {"PUT", "datasets/ds?namespace=bi", "{\"revision\":true,\"dataset\":{\"name\":\"ds\",\"uri\":\"file:/x\"}}"},
            {"PUT", "projects/bi", "{\"revision\":1.5,\"project\":{\"name\":\"bi\"}}"},
            {"PUT", "artifacts/art?namespace=bi", "{\"revision\":1.5,\"artifact\":{\"name\":\"art\",\"type\":\"t\",\"uri\":\"file:/a\"}}"},
            {"POST", "models/m/versions/1/stage?namespace=bi", "{\"stage\":\"VALIDATED\",\"revision\":1.5}"},
            {"POST", "subscriptions/sub/ack", "{\"version\":1.5}"},
            {"POST", "subscriptions/sub/ack", "{\"version\":\"1\"}"},
            {"POST", "subscriptions/sub/ack", "{\"version\":-1e400}"},
            {"POST", "subscriptions", "{\"name\":\"s3\",\"afterVersion\":0.5}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"step\":1.5}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":\"1\"}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1e999}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"modelVersion\":4294967296}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"step\":null}],\"x\":null}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":null}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"timestamp\":\"+1000000000-01-01T00:00:00Z\"}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"timestamp\":\"-1000000000-01-01T00:00:00Z\"}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":[{\"key\":\"k\",\"value\":1,\"timestamp\":\"tomorrow\"}]}"},
            {"POST", "metrics/met/values?namespace=bi", "{\"values\":null}"},
            {"POST", "lineage", "{\"namespace\":\"bi\",\"taskExecutionId\":1.5,\"direction\":\"READ\",\"entities\":[{\"kind\":\"DATASET\",\"name\":\"ds\"}]}"},
            {"POST", "lineage", "{\"namespace\":\"bi\",\"taskExecutionId\":1,\"direction\":\"SIDEWAYS\",\"entities\":[]}"},
            {"POST", "lineage", "{\"namespace\":\"bi\",\"taskExecutionId\":1,\"direction\":\"READ\",\"entities\":[{\"kind\":\"MODEL_VERSION\",\"name\":\"m\",\"version\":1.5}]}"},
            {"POST", "events", "{\"namespace\":\"bi\",\"key\":\"k\",\"value\":1.5}"},
            {"POST", "events", "{\"namespace\":\"bi\",\"key\":\"k\",\"context\":{\"a\":1}}"},
            {"POST", "events", "{\"namespace\":\"bi\",\"key\":[\"k\"]}"},
        };
        for (String[] b : bodies) {
            cases.add(of("wrong number or type " + b[2], b[0], b[1], utf8(b[2]), 400, "invalid_argument", JSON));
        }
    }

    private static void workflowDocuments(List<Case> cases) {
        String yaml = "namespace: bi\nname: wf3\ntasks:\n  - name: t\n    job: {runnerType: process, config: {command: echo t}}\n";
        String yamlType = "Content-Type: application/yaml";
        cases.add(of("YAML null", "POST", "workflows", utf8("null\n"), 400, "invalid_argument", yamlType));
        cases.add(of("YAML list", "POST", "workflows", utf8("- a\n"), 400, "invalid_argument", yamlType));
        cases.add(of("YAML second document", "POST", "workflows", utf8(yaml + "---\n" + yaml.replace("wf3", "wf4")), 400, "invalid_argument", yamlType));
        cases.add(of("YAML trailing garbage", "POST", "workflows", utf8(yaml + "]]] garbage\n"), 400, "invalid_argument", yamlType));
        cases.add(of("YAML invalid UTF-8", "POST", "workflows", concat(utf8(yaml), new byte[] {'#', (byte) 0xFF, '\n'}), 400,
                "invalid_argument", yamlType));
        cases.add(of("YAML overlong UTF-8", "POST", "workflows", concat(utf8(yaml + "description: \""), OVERLONG_SLASH, utf8("\"\n")), 400,
                "invalid_argument", yamlType));
        cases.add(of("YAML lone surrogate", "POST", "workflows", utf8(yaml + "description: \"\\ud800x\"\n"), 400, "invalid_argument", yamlType));
        cases.add(of("YAML with Accept q=0", "POST", "workflows", utf8(yaml), 406, "not_acceptable", yamlType, "Accept: application/json;q=0"));
        cases.add(of("workflow as text/plain", "POST", "workflows", utf8(yaml), 415, "unsupported_media_type", "Content-Type: text/plain"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static void queries(List<Case> cases) {
        String far = "%2B1000000000-01-01T00:00:00Z";
        String[] bad = {
            "events?fromTime=" + far, "events?toTime=" + far, "events?fromTime=-1000000000-01-01T00:00:00Z", "events?fromTime=yesterday",
            "events/count?fromTime=" + far, "events/version-before?time=" + far, "events/version-before?time=-1000000000-01-01T00:00:00Z",
            "events/version-before?time=x", "metrics/met/values?namespace=bi&until=" + far, "metrics/met/values?namespace=bi&from=" + far,
            "events?limit=-1", "events?limit=0", "events?limit=99999999999999999999", "events?limit=abc", "events?limit=1.5",
            "events?afterVersion=-1", "events?afterVersion=x", "events?untilVersion=-5", "events?wait=-1", "events?wait=100000",
            "events?order=up", "events?order=DESC", "events?order=desc&wait=5",
            "events/count?groupBy=key", "datasets?namespace=bi&limit=0", "datasets?namespace=bi&limit=1000000", "models?limit=abc",
            "artifacts?limit=-1", "metrics?limit=x", "projects?limit=1e3", "metrics/met/values?namespace=bi&limit=-5",
            "metrics/met/values?namespace=bi&afterId=x", "metrics/met/values?namespace=bi&modelVersion=-1",
            "models/m/versions?namespace=bi&limit=0", "models/m/versions?namespace=bi&afterVersion=x", "models/m/versions?namespace=bi&stage=NOPE",
            "models/m/versions/0?namespace=bi", "models/m/versions/abc?namespace=bi", "models/m/versions/latest?namespace=bi",
            "executions?limit=-1", "executions/abc", "executions/-1", "tasks?limit=abc", "tasks?status=NOPE", "tasks?executionId=-1",
            "tasks/99999999999999999999", "tasks/x/history", "tasks/1/logs/f?maxBytes=-1", "tasks/1/logs/f?offset=abc",
            "snapshots/x", "lineage?taskExecutionId=1.5", "lineage?kind=NOPE&name=x", "lineage", "subscriptions/sub/events?limit=-1",
            "subscriptions/sub/events?wait=x", "datasets?namespace=a%2Fb", "datasets?namespace=..",
        };
        for (String q : bad) {
            cases.add(of("bad query", "GET", q, null, 400, "invalid_argument"));
        }
        cases.add(of("Accept q=0 on a read", "GET", "datasets?namespace=bi", null, 406, "not_acceptable", "Accept: application/json;q=0"));
        cases.add(of("Accept text/html on a read", "GET", "events", null, 406, "not_acceptable", "Accept: text/html"));
        cases.add(of("Accept q=0 beats */*", "GET", "models", null, 406, "not_acceptable", "Accept: application/json;q=0, */*"));
        cases.add(of("unknown model version", "GET", "models/m/versions/99?namespace=bi", null, 404, "not_found"));
        cases.add(of("unknown schedule", "POST", "workflows/wf/schedules/nosuch/pause?namespace=bi", null, 404, "not_found"));
    }

    /**
     * What the servlet container (Jetty under pax-web) answers before the REST layer sees the
     * request: malformed URLs, oversize request lines and headers, TRACE.
     */
    static List<Case> container() {
        // status 0: any 4xx will do; code null: any stable code
        List<Case> cases = new ArrayList<>();
        cases.add(of("encoded slash in a name", "GET", "datasets/a%2Fb?namespace=bi", null, 0, null));
        cases.add(of("encoded NUL in a name", "GET", "datasets/a%00b?namespace=bi", null, 0, null));
        cases.add(of("bad percent-encoding", "GET", "datasets/%ZZ", null, 0, null));
        cases.add(of("raw ../ in the path", "GET", "datasets/../../../etc/passwd", null, 0, null));
        cases.add(of("raw backslash in a log path", "GET", "tasks/8/logs/..\\..\\pid", null, 0, null));
        cases.add(of("space in the path", "GET", "datasets/a b", null, 0, null));
        cases.add(new Case("invalid UTF-8 in the path", "GET", concat(utf8(API + "datasets/a"), new byte[] {(byte) 0xFF}), null,
                new String[0], 0, null));
        cases.add(of("overlong UTF-8 in the path", "GET", "datasets/a%C0%AFb", null, 0, null));
        cases.add(of("20 KB URL", "GET", "datasets?namePrefix=" + "x".repeat(20_000), null, 414, "uri_too_long"));
        cases.add(of("20,000-character header", "GET", "datasets", null, 431, "header_too_large", "X-Big: " + "x".repeat(20_000)));
        cases.add(of("TRACE", "TRACE", "datasets", null, 405, "method_not_allowed"));
        return cases;
    }
}
