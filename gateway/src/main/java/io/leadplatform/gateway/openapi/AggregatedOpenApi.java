package io.leadplatform.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One OpenAPI 3.1 document for the whole API, merged from the committed contracts
 * ({@code contracts/openapi/<name>.yaml}, on the classpath through the contracts module). The paths
 * stay as they are (every service already serves the path the gateway exposes). What the merge does:
 * <ul>
 * <li>components of the same name and content are kept once; a name that two documents define
 * differently is renamed in the later document (prefixed with its service, e.g. {@code ScoringResult})
 * and its {@code $ref}s follow;</li>
 * <li>the security schemes become Keycloak's: {@code keycloak} (OAuth 2 authorization code flow of the
 * realm, for the Swagger UI login) or {@code bearer} (a token pasted by hand); every operation that
 * needed a token accepts either;</li>
 * <li>the answers the gateway itself may give are added to every operation (401 where a token is
 * needed, 413 where a body is sent, 429, 502, 503, 504), all problem+json.</li>
 * </ul>
 */
public final class AggregatedOpenApi {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String PROBLEM = "GatewayProblem";

    private final ObjectNode document;

    private AggregatedOpenApi(ObjectNode document) {
        this.document = document;
    }

    /** Reads {@code /contracts/openapi/<name>.yaml} for each name from the classpath and merges them. */
    public static AggregatedOpenApi fromClasspath(List<String> names, String keycloakRealmUrl, String version) {
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        for (String name : names) {
            String resource = "contracts/openapi/" + name.trim() + ".yaml";
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("contract not on the classpath: " + resource);
                }
                docs.put(name.trim(), YAML.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return merge(docs, keycloakRealmUrl, version);
    }

    static AggregatedOpenApi merge(Map<String, JsonNode> docs, String keycloakRealmUrl, String version) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Lead platform API");
        info.put("version", version);
        info.put("description", "The whole API as the gateway serves it, merged from the contracts of "
                + String.join(", ", docs.keySet()) + ". Tokens come from the Keycloak realm 'leads' ("
                + "Authorize: log in with the public client, or paste a bearer token). Every answer of the "
                + "gateway itself is application/problem+json (RFC 9457).");
        ArrayNode tags = root.putArray("tags");
        ObjectNode paths = root.putObject("paths");
        ObjectNode components = root.putObject("components");
        List<String> tagNames = new ArrayList<>();

        for (Map.Entry<String, JsonNode> d : docs.entrySet()) {
            ObjectNode doc = d.getValue().deepCopy();
            String label = label(d.getKey());
            // components: keep identical ones once, rename clashing ones in this document
            Map<String, String> renames = new LinkedHashMap<>();
            JsonNode comps = doc.path("components");
            for (Iterator<Map.Entry<String, JsonNode>> kinds = comps.fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                if (kind.getKey().equals("securitySchemes")) {
                    continue;
                }
                for (Iterator<String> it = kind.getValue().fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    JsonNode existing = components.path(kind.getKey()).get(name);
                    if (existing != null && !existing.equals(kind.getValue().get(name))) {
                        renames.put("#/components/" + kind.getKey() + "/" + name,
                                "#/components/" + kind.getKey() + "/" + label + name);
                    }
                }
            }
            if (!renames.isEmpty()) {
                rewriteRefs(doc, renames);
            }
            for (Iterator<Map.Entry<String, JsonNode>> kinds = doc.path("components").fields(); kinds.hasNext(); ) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                if (kind.getKey().equals("securitySchemes")) {
                    continue;
                }
                ObjectNode target = components.has(kind.getKey()) ? (ObjectNode) components.get(kind.getKey())
                        : components.putObject(kind.getKey());
                for (Iterator<Map.Entry<String, JsonNode>> it = kind.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = it.next();
                    String ref = "#/components/" + kind.getKey() + "/" + c.getKey();
                    String name = renames.containsKey(ref) ? label + c.getKey() : c.getKey();
                    target.set(name, c.getValue());
                }
            }
            for (JsonNode tag : doc.path("tags")) {
                if (!tagNames.contains(tag.path("name").asText())) {
                    tagNames.add(tag.path("name").asText());
                    tags.add(tag);
                }
            }
            boolean docSecured = doc.has("security") && !doc.get("security").isEmpty();
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                ObjectNode pathItem = paths.has(p.getKey()) ? (ObjectNode) paths.get(p.getKey()) : paths.putObject(p.getKey());
                for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (METHODS.contains(op.getKey()) && op.getValue() instanceof ObjectNode operation) {
                        gatewayAnswers(operation, docSecured);
                    }
                    pathItem.set(op.getKey(), op.getValue());
                }
            }
        }

        ObjectNode schemes = components.putObject("securitySchemes");
        String realm = keycloakRealmUrl.endsWith("/") ? keycloakRealmUrl.substring(0, keycloakRealmUrl.length() - 1)
                : keycloakRealmUrl;
        ObjectNode keycloak = schemes.putObject("keycloak");
        keycloak.put("type", "oauth2");
        keycloak.put("description", "Log in at Keycloak (realm leads) with the public client leads-web: "
                + "authorization code flow with PKCE.");
        ObjectNode code = keycloak.putObject("flows").putObject("authorizationCode");
        code.put("authorizationUrl", realm + "/protocol/openid-connect/auth");
        code.put("tokenUrl", realm + "/protocol/openid-connect/token");
        code.put("refreshUrl", realm + "/protocol/openid-connect/token");
        code.putObject("scopes").put("openid", "OpenID Connect sign-in");
        ObjectNode bearer = schemes.putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        bearer.put("description", "An access token of the Keycloak realm leads (e.g. dev/token.sh marketing).");

        ObjectNode responses = components.has("responses") ? (ObjectNode) components.get("responses")
                : components.putObject("responses");
        ObjectNode schemas = components.has("schemas") ? (ObjectNode) components.get("schemas")
                : components.putObject("schemas");
        ObjectNode problem = schemas.putObject(PROBLEM);
        problem.put("type", "object");
        problem.put("description", "RFC 9457 problem details, as the gateway writes them");
        problem.putArray("required").add("type").add("title").add("status");
        ObjectNode props = problem.putObject("properties");
        props.putObject("type").put("type", "string");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        props.putObject("instance").put("type", "string");
        for (Object[] r : GATEWAY_RESPONSES) {
            ObjectNode resp = responses.putObject((String) r[0]);
            resp.put("description", (String) r[2]);
            if (r.length > 3) {
                resp.putObject("headers").putObject((String) r[3]).put("description", (String) r[4])
                        .putObject("schema").put("type", (String) r[5]);
            }
            resp.putObject("content").putObject("application/problem+json").putObject("schema")
                    .put("$ref", "#/components/schemas/" + PROBLEM);
        }
        return new AggregatedOpenApi(root);
    }

    /** name, status, description, optional header name, header description, header type. */
    private static final Object[][] GATEWAY_RESPONSES = {
            {"GatewayUnauthorized", 401, "No or an invalid bearer token (gateway); WWW-Authenticate: Bearer",
                    "WWW-Authenticate", "Bearer realm=\"leads\" (error=\"invalid_token\" for a bad token)", "string"},
            {"GatewayPayloadTooLarge", 413, "The body is larger than the route accepts (gateway)"},
            {"GatewayRateLimited", 429, "Rate limit of the caller on this route exceeded (gateway); RateLimit and "
                    + "RateLimit-Policy headers on every limited answer", "Retry-After", "Seconds to wait", "integer"},
            {"GatewayBadGateway", 502, "The service cannot be reached (gateway)"},
            {"GatewayUnavailable", 503, "The service's circuit is open, or Keycloak cannot be reached (gateway)",
                    "Retry-After", "Seconds to wait", "integer"},
            {"GatewayTimeout", 504, "The service did not answer in time (gateway)"},
    };

    private static void gatewayAnswers(ObjectNode operation, boolean docSecured) {
        JsonNode security = operation.get("security");
        boolean secured = security != null ? !security.isEmpty() : docSecured;
        if (secured) {
            ArrayNode alternatives = JsonNodeFactory.instance.arrayNode();
            alternatives.addObject().putArray("keycloak");
            alternatives.addObject().putArray("bearer");
            operation.set("security", alternatives);
        } else if (security != null) {
            operation.set("security", JsonNodeFactory.instance.arrayNode());
        }
        ObjectNode responses = operation.has("responses") ? (ObjectNode) operation.get("responses")
                : operation.putObject("responses");
        for (Object[] r : GATEWAY_RESPONSES) {
            String status = String.valueOf(r[1]);
            if (status.equals("401") && !secured) {
                continue;
            }
            if (status.equals("413") && !operation.has("requestBody")) {
                continue;
            }
            if (!responses.has(status)) {
                responses.putObject(status).put("$ref", "#/components/responses/" + r[0]);
            }
        }
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (node instanceof ObjectNode obj) {
            JsonNode ref = obj.get("$ref");
            if (ref != null && ref.isTextual() && renames.containsKey(ref.asText())) {
                obj.put("$ref", renames.get(ref.asText()));
            }
            obj.elements().forEachRemaining(child -> rewriteRefs(child, renames));
        } else if (node instanceof ArrayNode arr) {
            arr.elements().forEachRemaining(child -> rewriteRefs(child, renames));
        }
    }

    /** capture-service -> Capture */
    private static String label(String name) {
        String base = name.endsWith("-service") ? name.substring(0, name.length() - "-service".length()) : name;
        StringBuilder out = new StringBuilder();
        for (String part : base.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    public JsonNode document() {
        return document;
    }

    public String yaml() {
        try {
            return YAML.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String json() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
