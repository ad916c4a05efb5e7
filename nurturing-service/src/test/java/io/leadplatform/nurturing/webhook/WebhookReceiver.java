package io.leadplatform.nurturing.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A webhook receiver for tests: a JDK HttpServer on a free loopback port that records every request and
 * answers what {@code behaviour} says for the n-th request (1-based). It can be stopped (connections are
 * then refused) and started again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {

    /** What to answer: a status, a body, and how long to wait first. */
    record Answer(int status, String body, long delayMillis) {
        static Answer ok() {
            return new Answer(200, "{\"ok\":true}", 0);
        }

        static Answer status(int status) {
            return new Answer(status, "{\"error\":\"receiver says " + status + "\"}", 0);
        }
    }

    /** A request as the receiver saw it. */
    record Received(Map<String, List<String>> headers, String body, int status) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile IntFunction<Answer> behaviour;
    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;
    private int port;

    private WebhookReceiver(IntFunction<Answer> behaviour) {
        this.behaviour = behaviour;
    }

    static WebhookReceiver start(IntFunction<Answer> behaviour) throws IOException {
        WebhookReceiver r = new WebhookReceiver(behaviour);
        r.bind(0);
        return r;
    }

    private void bind(int wanted) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
        server.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), new ArrayList<>(v)));
        Answer answer = behaviour.apply(count.incrementAndGet());
        received.add(new Received(headers, new String(body, StandardCharsets.UTF_8), answer.status()));
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        try {
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // the caller gave up (timeout): nothing to answer
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks";
    }

    void behave(IntFunction<Answer> behaviour) {
        this.behaviour = behaviour;
    }

    /** Every request so far. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests that carried this text in their body (e.g. a lead id). */
    List<Received> receivedWith(String text) {
        return received.stream().filter(r -> r.body().contains(text)).toList();
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    void restart() throws IOException {
        bind(port);
    }

    @Override
    public void close() {
        stop();
    }
}
