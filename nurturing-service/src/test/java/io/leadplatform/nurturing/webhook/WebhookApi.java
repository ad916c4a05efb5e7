package io.leadplatform.nurturing.webhook;

import io.leadplatform.testsupport.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The admin webhook API as tests call it. */
final class WebhookApi {

    static final String BASE = "/api/nurturing/webhooks";

    private WebhookApi() {
    }

    static RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer("admin"));
    }

    /** A subscription as created: its id and its secret. */
    record Subscription(String id, String secret) {
    }

    static Subscription subscribe(String url, String... types) {
        String body = "{\"url\":\"" + url + "\",\"eventTypes\":[" + String.join(",", List.of(types).stream()
                .map(t -> "\"" + t + "\"").toList()) + "]}";
        JsonPath json = admin().contentType(ContentType.JSON).body(body).post(BASE + "/subscriptions")
                .then().statusCode(201).extract().jsonPath();
        return new Subscription(json.getString("id"), json.getString("secret"));
    }

    /** Deletes every subscription (each test starts and ends with none, so no receiver gets another test's events). */
    static void deleteAll() {
        List<String> ids = admin().get(BASE + "/subscriptions").then().statusCode(200).extract().jsonPath().getList("id");
        ids.forEach(id -> admin().delete(BASE + "/subscriptions/" + id).then().statusCode(204));
    }

    static List<java.util.Map<String, Object>> deliveries(String subscriptionId) {
        return admin().get(BASE + "/subscriptions/" + subscriptionId + "/deliveries").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static JsonPath delivery(String subscriptionId, String deliveryId) {
        return admin().get(BASE + "/subscriptions/" + subscriptionId + "/deliveries/" + deliveryId).then().statusCode(200)
                .extract().jsonPath();
    }

    /** Waits until the subscription's log has a delivery matching the predicate; answers its detail. */
    static JsonPath awaitDelivery(String subscriptionId, Predicate<java.util.Map<String, Object>> match, Duration timeout) {
        String[] id = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (var d : deliveries(subscriptionId)) {
                if (match.test(d)) {
                    id[0] = (String) d.get("id");
                    return true;
                }
            }
            return false;
        });
        return delivery(subscriptionId, id[0]);
    }
}
