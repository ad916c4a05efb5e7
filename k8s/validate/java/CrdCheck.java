// Checks the custom resources that have a Java model against it (k8s/check.sh runs it in source-file
// mode on the classpath of k8s/validate/java/pom.xml; nothing is compiled into the build):
//   - Strimzi (kafka.strimzi.io/v1): Kafka, KafkaNodePool, KafkaTopic, KafkaUser read into Strimzi's
//     own model classes (io.strimzi:api 0.49.0): wrong types, unknown enum values and UNKNOWN FIELDS
//     fail (the model would keep unknown fields aside; this check turns that off);
//   - Keycloak: the spec.realm of every KeycloakRealmImport read into Keycloak's RealmRepresentation
//     (org.keycloak:keycloak-core 26.7.3), unknown fields fail.
// Any other kafka.strimzi.io kind fails (no model mapped here).
//
//   java -cp "$(cat cp.txt)" CrdCheck.java rendered-dev.yaml rendered-prod.yaml
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.keycloak.representations.idm.RealmRepresentation;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class CrdCheck {

    static final Map<String, Class<?>> STRIMZI = Map.of(
            "Kafka", Kafka.class,
            "KafkaNodePool", KafkaNodePool.class,
            "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class);

    /** Strict: an unknown property is an error even where the model has a catch-all (@JsonAnySetter). */
    static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                @SuppressWarnings("deprecation")
                public boolean hasAnySetterAnnotation(com.fasterxml.jackson.databind.introspect.AnnotatedMethod m) {
                    return false;
                }

                @Override
                public com.fasterxml.jackson.annotation.JsonInclude.Value findPropertyInclusion(Annotated a) {
                    // write every property back, defaults and nulls too (see diff)
                    return com.fasterxml.jackson.annotation.JsonInclude.Value.empty();
                }

                @Override
                public com.fasterxml.jackson.annotation.JsonIgnoreProperties.Value findPropertyIgnoralByName(
                        com.fasterxml.jackson.databind.cfg.MapperConfig<?> config, Annotated a) {
                    // ignore @JsonIgnoreProperties(ignoreUnknown = true) of the model classes
                    return com.fasterxml.jackson.annotation.JsonIgnoreProperties.Value.empty();
                }
            });

    public static void main(String[] args) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> problems = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String file : args) {
            String where0 = new File(file).getName();
            try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(new File(file))) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isMissingNode()) {
                        continue;
                    }
                    String apiVersion = doc.path("apiVersion").asText();
                    String kind = doc.path("kind").asText();
                    String where = where0 + " " + kind + "/" + doc.path("metadata").path("name").asText();
                    if (apiVersion.startsWith("kafka.strimzi.io/")) {
                        Class<?> model = STRIMZI.get(kind);
                        if (model == null) {
                            problems.add(where + ": no Strimzi model mapped for kind " + kind + " (add it to CrdCheck.STRIMZI)");
                            continue;
                        }
                        if (!apiVersion.equals("kafka.strimzi.io/v1")) {
                            problems.add(where + ": apiVersion " + apiVersion + ", the manifests use kafka.strimzi.io/v1 (Strimzi 0.49)");
                        }
                        check(doc, model, where, problems);
                        counts.merge(kind, 1, Integer::sum);
                    } else if (apiVersion.startsWith("k8s.keycloak.org/") && kind.equals("KeycloakRealmImport")) {
                        JsonNode realm = doc.path("spec").path("realm");
                        if (!realm.isObject()) {
                            problems.add(where + ": spec.realm is not an object");
                            continue;
                        }
                        check(realm, RealmRepresentation.class, where + " spec.realm", problems);
                        counts.merge("realm", 1, Integer::sum);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("Java model check FAILED: " + problems.size() + " problem(s)");
            problems.forEach(p -> System.err.println("  - " + p));
            System.exit(1);
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(k));
        System.out.println("Java models: " + sb + " valid (Strimzi api 0.49.0, Keycloak RealmRepresentation 26.7.3)");
    }

    static void check(JsonNode node, Class<?> model, String where, List<String> problems) {
        try {
            Object value = STRICT.treeToValue(node, model);
            // round trip: a value the model did not keep (an enum it does not know reads as null, say)
            // differs when written back
            diff(node, STRICT.valueToTree(value), "", where, problems);
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            int cut = msg.indexOf(" (");
            problems.add(where + ": " + (cut > 0 && cut < 400 ? msg.substring(0, cut) : msg.lines().findFirst().orElse(msg))
                    + pathOf(e));
        }
    }

    static void diff(JsonNode in, JsonNode back, String path, String where, List<String> problems) {
        if (in.isObject()) {
            in.properties().forEach(e -> {
                if (path.isEmpty() && e.getKey().equals("apiVersion")) {
                    return; // one model class serves every version; the version is checked above
                }
                JsonNode b = back == null ? null : back.get(e.getKey());
                if (b == null || b.isNull() && !e.getValue().isNull()) {
                    problems.add(where + ": the model does not keep " + path + "/" + e.getKey() + " = " + e.getValue());
                } else {
                    diff(e.getValue(), b, path + "/" + e.getKey(), where, problems);
                }
            });
        } else if (in.isArray()) {
            for (int i = 0; i < in.size(); i++) {
                JsonNode b = back != null && back.isArray() && i < back.size() ? back.get(i) : null;
                if (b == null || b.isNull() && !in.get(i).isNull()) {
                    problems.add(where + ": the model does not keep " + path + "/" + i + " = " + in.get(i));
                } else {
                    diff(in.get(i), b, path + "/" + i, where, problems);
                }
            }
        } else if (!in.asText().equals(back.asText())) {
            problems.add(where + ": " + path + " = " + in + " reads back as " + back);
        }
    }

    static String pathOf(Throwable e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder p = new StringBuilder(" at ");
            for (var ref : m.getPath()) {
                p.append(ref.getFieldName() != null ? "/" + ref.getFieldName() : "/" + ref.getIndex());
            }
            return p.toString();
        }
        return "";
    }
}
