package io.leadplatform.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.util.Map;

/**
 * Puts a {@link DatabaseProxy} between the service's reactive pool and PostgreSQL, so a test can make the
 * database unreachable and bring it back ({@link #proxy()}); Flyway (JDBC) still goes straight to the
 * database. Use with {@code @WithTestResource(value = DatabaseOutage.class, initArgs = @ResourceArg(name = "url",
 * value = "postgresql://127.0.0.1:5432/<test db>"))}: the URL is the service's test default, overridden by
 * {@code _TEST_QUARKUS_DATASOURCE_REACTIVE_URL} as for every test run.
 */
public class DatabaseOutage implements QuarkusTestResourceLifecycleManager {

    private static volatile DatabaseProxy proxy;
    private String url;

    @Override
    public void init(Map<String, String> initArgs) {
        url = System.getenv().getOrDefault("_TEST_QUARKUS_DATASOURCE_REACTIVE_URL", initArgs.get("url"));
    }

    @Override
    public Map<String, String> start() {
        URI target = URI.create(url);
        proxy = new DatabaseProxy(target.getHost(), target.getPort());
        String proxied = proxy.rewrite(url);
        return Map.of("quarkus.datasource.reactive.url", proxied, "%test.quarkus.datasource.reactive.url", proxied);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The proxy of the running test. */
    public static DatabaseProxy proxy() {
        return proxy;
    }
}
