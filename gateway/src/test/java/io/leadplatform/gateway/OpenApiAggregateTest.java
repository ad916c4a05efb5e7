package io.leadplatform.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aggregated OpenAPI document at /openapi and the one Swagger UI at /q/swagger-ui. */
@QuarkusTest
@WithTestResource(FakeUpstream.class)
class OpenApiAggregateTest {

    @Test
    void oneDocumentWithEveryContractPathAndKeycloakSecurity() throws Exception {
        String json = given().accept("application/json").get("/openapi").then().statusCode(200)
                .contentType(containsString("json")).extract().asString();
        JsonPath doc = JsonPath.from(json);
        Map<String, Object> paths = doc.getMap("paths");
        // every path of every committed contract, as the gateway serves it
        for (String name : List.of("capture-service", "scoring-service", "nurturing-service", "kpi-service", "gateway")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("contracts/openapi/" + name + ".yaml")) {
                String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String line : yaml.lines().toList()) {
                    if (line.matches("^  /.*:$")) {
                        String path = line.trim().substring(0, line.trim().length() - 1);
                        assertTrue(paths.containsKey(path), name + " path missing: " + path);
                    }
                }
            }
        }
        assertEquals("oauth2", doc.getString("components.securitySchemes.keycloak.type"));
        assertTrue(doc.getString("components.securitySchemes.keycloak.flows.authorizationCode.authorizationUrl")
                .endsWith("/realms/leads/protocol/openid-connect/auth"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        // a protected operation accepts either scheme and lists the gateway's own answers
        assertEquals(List.of(Map.of("keycloak", List.of()), Map.of("bearer", List.of())),
                doc.getList("paths.'/api/scoring/models'.get.security"));
        assertEquals("#/components/responses/GatewayRateLimited",
                doc.getString("paths.'/api/scoring/models'.get.responses.'429'.'$ref'"));
        // a public operation needs no token
        assertTrue(doc.get("paths.'/api/capture/forms/{formKey}/submissions'.post.security") == null
                || doc.getList("paths.'/api/capture/forms/{formKey}/submissions'.post.security").isEmpty());
        // no $ref points nowhere (clashing component names were renamed consistently)
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        List<String> refs = new ArrayList<>();
        collectRefs(doc.get(""), refs);
        assertTrue(refs.size() > 50);
        for (String ref : refs) {
            assertTrue(!tree.at(ref.substring(1)).isMissingNode(), "dangling $ref " + ref);
        }
        // the YAML form is the same document
        given().get("/openapi.yaml").then().statusCode(200).contentType(containsString("yaml"))
                .body(containsString("openapi: 3.1.0"));
    }

    @SuppressWarnings("unchecked")
    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            Object ref = map.get("$ref");
            if (ref instanceof String s) {
                refs.add(s);
            }
            map.values().forEach(v -> collectRefs(v, refs));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectRefs(v, refs));
        }
    }

    @Test
    void swaggerUiIsServedByTheSuiteAndLogsInWithThePublicClient() {
        String index = given().get("/q/swagger-ui/index.html").then().statusCode(200).extract().asString();
        assertTrue(index.contains("/openapi"), "the aggregated document is listed");
        assertTrue(index.contains("leads-web"), "login with the public client");
        assertTrue(index.toLowerCase().contains("usepkcewithauthorizationcodegrant"), "PKCE");
        // no CDN: every script and stylesheet comes from the gateway itself
        assertTrue(!index.matches("(?s).*(src|href)=\"https?://.*"), "no external assets");
        given().get("/q/swagger-ui/oauth2-redirect.html").then().statusCode(200);
        given().get("/openapi").then().statusCode(200).body(not(containsString("SecurityScheme:")))
                .body(containsString("keycloak"));
    }
}
