package io.leadplatform.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fails when the OpenAPI document a running service serves drifts from the committed one in
 * contracts/openapi/{service}.yaml. With {@code -Dcontracts.update=true} the committed file is
 * rewritten from the served document instead (then review the diff and commit it).
 */
public final class OpenApiContract {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private OpenApiContract() {
    }

    /** @param servedYaml the body of GET /q/openapi (YAML) */
    public static void assertMatches(String service, String servedYaml) throws IOException {
        JsonNode served = normalise(YAML.readTree(servedYaml));
        if (Boolean.getBoolean("contracts.update")) {
            Path file = repoRoot().resolve("contracts/openapi/" + service + ".yaml");
            Files.writeString(file, YAML.writeValueAsString(served));
            return;
        }
        String resource = "/contracts/openapi/" + service + ".yaml";
        try (InputStream in = OpenApiContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no committed contract " + resource);
            }
            JsonNode committed = normalise(YAML.readTree(in));
            assertEquals(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(committed),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served),
                    "the served OpenAPI document of " + service + " drifted from contracts/openapi/" + service
                            + ".yaml; fix the code, or change the contract on purpose (-Dcontracts.update=true) and commit it");
        }
    }

    /** Drops what legitimately differs between runs (the server list). */
    private static JsonNode normalise(JsonNode doc) {
        if (doc instanceof ObjectNode object) {
            object.remove("servers");
        }
        return JSON.valueToTree(doc);
    }

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("contracts/openapi"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find contracts/openapi above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
