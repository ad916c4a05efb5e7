package io.leadplatform.capture.service;

import io.leadplatform.capture.config.FormsConfig;
import io.leadplatform.capture.domain.Form;
import io.leadplatform.capture.repository.FormRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forms as the public submission path reads them: a per-instance snapshot kept for
 * {@code capture.forms.cache-ttl} (default 2 s), so a submission does not read its form from the
 * database. A form changed through this instance is dropped at once; another instance sees the change
 * within the TTL. Unknown keys are remembered too (bounded), so probing random keys costs no query.
 * The cached forms are detached: read-only for callers.
 */
@ApplicationScoped
public class FormCache {

    private static final int MAX_ENTRIES = 10_000;

    private final FormRepository forms;
    private final Pool pool;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public FormCache(FormRepository forms, FormsConfig config, Pool pool) {
        this.pool = pool;
        this.forms = forms;
        this.ttlNanos = config.cacheTtl().toNanos();
    }

    /** The form with this key, or null when there is none. */
    public Uni<Form> get(String formKey) {
        long now = System.nanoTime();
        Entry entry = entries.get(formKey);
        if (entry != null && now - entry.expiresAt < 0) {
            return Uni.createFrom().item(entry.form);
        }
        return forms.findByKey(pool, formKey).invoke(form -> {
            if (ttlNanos > 0 && (entries.size() < MAX_ENTRIES || entries.containsKey(formKey))) {
                entries.put(formKey, new Entry(form, now + ttlNanos));
            }
        });
    }

    /** Forgets the form (after it was created or changed here). */
    public void invalidate(String formKey) {
        entries.remove(formKey);
    }

    private record Entry(Form form, long expiresAt) {
    }
}
