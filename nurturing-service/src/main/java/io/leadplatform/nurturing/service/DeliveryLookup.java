package io.leadplatform.nurturing.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadplatform.nurturing.config.NurturingConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the SMTP server whether it accepted a message (by its Message-ID), for mails a dead replica left in doubt.
 * Implemented for GreenMail's REST API ({@code nurturing.dispatch.greenmail-api}); a production ESP with a message
 * lookup API would plug in here. Without one, {@link #accepted} answers empty: the mail is not resent.
 */
@ApplicationScoped
public class DeliveryLookup {

    private final Optional<String> api;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DeliveryLookup(NurturingConfig config, ObjectMapper mapper) {
        this.api = config.dispatch().greenmailApi().map(a -> a.replaceAll("/+$", ""));
        this.mapper = mapper;
    }

    public boolean available() {
        return api.isPresent();
    }

    /** true / false when the server could tell, empty when there is no lookup or it failed. */
    public Uni<Optional<Boolean>> accepted(String address, String messageId) {
        if (api.isEmpty() || address == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return messageIds(address).map(ids -> ids.map(set -> set.contains(messageId)));
    }

    /** The Message-IDs the server holds for an address; one request per address per second (a dead replica leaves many in doubt; a longer reuse could answer "not there" for a mail sent since). */
    private Uni<Optional<Set<String>>> messageIds(String address) {
        long now = System.nanoTime();
        cache.values().removeIf(e -> now - e.at() > CACHE_NANOS);
        return cache.computeIfAbsent(address, a -> new Cached(fetch(a).memoize().indefinitely(), now)).ids();
    }

    private record Cached(Uni<Optional<Set<String>>> ids, long at) {
    }

    private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private Uni<Optional<Set<String>>> fetch(String address) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.get() + "/api/user/"
                        + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    // GreenMail answers 400 "User … not found" for an address that never received anything
                    if (response.statusCode() == 404 || (response.statusCode() == 400 && response.body().contains("not found"))) {
                        return Optional.<Set<String>>of(Set.of());
                    }
                    if (response.statusCode() != 200) {
                        return Optional.<Set<String>>empty();
                    }
                    try {
                        Set<String> ids = new HashSet<>();
                        for (JsonNode m : mapper.readTree(response.body())) {
                            ids.add(m.path("Message-ID").asText());
                        }
                        return Optional.of(ids);
                    } catch (java.io.IOException e) {
                        return Optional.<Set<String>>empty();
                    }
                })
                .onFailure().recoverWithItem(Optional.empty());
    }
}
