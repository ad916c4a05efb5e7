package io.leadplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.leadplatform.testsupport.Tokens;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error sweep: every operation of every committed OpenAPI spec (contracts/openapi/*.yaml), called
 * through the gateway with no token and with each role's token, and with bodies that are malformed,
 * wrong-typed, deeply nested or oversize. Fails on any 5xx and on any 4xx that is not
 * application/problem+json. Path parameters are fresh random values, so no existing data is touched
 * and no body is valid: nothing is written.
 */
class ErrorSweepIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    /** no token, the four demo roles, and a partner's machine client. */
    private static final List<String> CALLERS = List.of("", "marketing", "sales", "admin", "partner-user", "partner-acme");

    @BeforeAll
    static void gateway() {
        RestAssured.baseURI = System.getProperty("gateway.url", "http://127.0.0.1:8080");
    }

    record Body(String name, String contentType, String content) {
    }

    @Test
    void everyOperationAnswersErrorsAsProblemsAndNeverFails() throws Exception {
        Map<String, JsonNode> specs = specs();
        assertTrue(specs.size() >= 5, "specs found: " + specs.keySet());
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String caller : CALLERS) {
            tokens.put(caller, caller.isEmpty() ? null : Tokens.bearer(caller));
        }
        List<String> violations = new ArrayList<>();
        int calls = 0;
        int operations = 0;
        for (Map.Entry<String, JsonNode> spec : specs.entrySet()) {
            for (Iterator<Map.Entry<String, JsonNode>> paths = spec.getValue().path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (String method : METHODS) {
                    JsonNode op = path.getValue().get(method);
                    if (op == null) {
                        continue;
                    }
                    operations++;
                    String url = concretePath(path.getKey(), op, path.getValue());
                    List<Body> bodies = bodies(op, !method.equals("get") && !method.equals("delete"));
                    for (Map.Entry<String, String> caller : tokens.entrySet()) {
                        for (Body body : bodies) {
                            calls++;
                            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(RestAssured.baseURI + url)).timeout(java.time.Duration.ofSeconds(60));
                            if (caller.getValue() != null) {
                                request.header("Authorization", caller.getValue());
                            }
                            if (body != null) {
                                request.header("Content-Type", body.contentType()).method(method.toUpperCase(),
                                        java.net.http.HttpRequest.BodyPublishers.ofString(body.content()));
                            } else {
                                request.method(method.toUpperCase(), java.net.http.HttpRequest.BodyPublishers.noBody());
                            }
                            String what = method.toUpperCase() + " " + url + " (" + spec.getKey() + ") as "
                                    + (caller.getKey().isEmpty() ? "anonymous" : caller.getKey())
                                    + (body == null ? "" : " with " + body.name() + " body");
                            try {
                                check(what, send(request.build()), violations);
                            } catch (java.io.IOException noAnswer) {
                                violations.add(what + ": no answer (" + noAnswer + ")");
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("error sweep: %d operations, %d calls, %d violations%n", operations, calls, violations.size());
        assertTrue(violations.isEmpty(), violations.size() + " violations:\n" + String.join("\n", new TreeSet<>(violations)));
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10)).build();

    /**
     * One call; a connection that broke while the (oversize) body was still being sent is retried once. A call
     * that gets no answer twice is a violation (the gateway must answer, e.g. 413, and then close cleanly).
     */
    private static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest request) throws Exception {
        try {
            return HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void check(String what, java.net.http.HttpResponse<String> response, List<String> violations) {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            violations.add(what + ": " + status + " " + abbreviate(response.body()));
        } else if (status >= 400 && !type.startsWith("application/problem+json")) {
            violations.add(what + ": " + status + " with Content-Type '" + type + "' " + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    /** Path parameters replaced by fresh values: a UUID where the schema says uuid, else a random word. */
    private static String concretePath(String template, JsonNode op, JsonNode pathItem) {
        String url = template;
        List<JsonNode> params = new ArrayList<>();
        op.path("parameters").forEach(params::add);
        pathItem.path("parameters").forEach(params::add);
        for (JsonNode p : params) {
            if (!"path".equals(p.path("in").asText())) {
                continue;
            }
            String format = p.path("schema").path("format").asText();
            String type = p.path("schema").path("type").asText();
            String value = "uuid".equals(format) ? UUID.randomUUID().toString()
                    : "integer".equals(type) ? "987654321" : "sweep-" + UUID.randomUUID().toString().substring(0, 8);
            url = url.replace("{" + p.path("name").asText() + "}", value);
        }
        return url.replaceAll("\\{[^}]+}", "sweep-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** No body for reads; for writes: malformed, wrong-typed, nested and oversize, in the media type the operation takes. */
    private static List<Body> bodies(JsonNode op, boolean write) {
        List<Body> bodies = new ArrayList<>();
        if (!write) {
            bodies.add(null);
            return bodies;
        }
        String contentType = "application/json";
        Iterator<String> declared = op.path("requestBody").path("content").fieldNames();
        if (declared.hasNext()) {
            contentType = declared.next();
        }
        bodies.add(new Body("malformed", contentType, "{\"email\": \"x@example.com\", "));
        bodies.add(new Body("wrong-typed", "application/json",
                "{\"email\": 42, \"name\": [true], \"id\": {\"a\": 1}, \"score\": \"high\", \"events\": \"none\", \"items\": 7}"));
        bodies.add(new Body("nested", "application/json", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)));
        bodies.add(new Body("oversize", "application/json",
                "{\"email\": \"" + "a".repeat(2 * 1024 * 1024) + "@example.com\"}"));
        return bodies;
    }

    /** Every contracts/openapi/*.yaml on the classpath (the contracts module, a jar or a directory). */
    private static Map<String, JsonNode> specs() throws Exception {
        Map<String, JsonNode> specs = new LinkedHashMap<>();
        URL dir = ErrorSweepIT.class.getClassLoader().getResource("contracts/openapi");
        if (dir == null) {
            throw new IllegalStateException("contracts/openapi is not on the classpath");
        }
        List<String> names = new ArrayList<>();
        if ("jar".equals(dir.getProtocol())) {
            try (JarFile jar = ((JarURLConnection) dir.openConnection()).getJarFile()) {
                jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("contracts/openapi/") && n.endsWith(".yaml"))
                        .forEach(names::add);
            }
        } else {
            for (File f : new File(dir.toURI()).listFiles((d, n) -> n.endsWith(".yaml"))) {
                names.add("contracts/openapi/" + f.getName());
            }
        }
        names.sort(String::compareTo);
        for (String name : names) {
            try (InputStream in = ErrorSweepIT.class.getClassLoader().getResourceAsStream(name)) {
                specs.put(name.substring(name.lastIndexOf('/') + 1), YAML.readTree(in));
            }
        }
        return specs;
    }
}
