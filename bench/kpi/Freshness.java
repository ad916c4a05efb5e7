import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Freshness of kpi-service (issue 10): the time from capture's 202 answer to a form submission until the KPI API
 * (through the gateway) shows that lead, while leads stream in through the gateway at RATE per second.
 *
 * The load posts RATE submissions per second to form FORM_KEY (a form without a campaign, so the submission's UTM
 * campaign becomes the lead's campaign). PROBES of them per second carry a campaign of their own ("fresh-RUN-n"); for
 * each probe, from its 202 answer on, GET /api/kpi/reports/leads?campaign=fresh-RUN-n for today (UTC) is asked every
 * POLL_MS until total.newLeads is 1. Freshness = time of that answer - time of the 202. A probe not seen within
 * GIVE_UP_MS counts as missed (reported, and fails the run).
 *
 * Usage: java bench/kpi/Freshness.java GATEWAY_URL FORM_KEY TOKEN_FILE SECONDS RATE PROBES POLL_MS
 * TOKEN_FILE holds a marketing token; it is read again before each poll so a refresher can replace it.
 */
public class Freshness {
    static final Pattern NEW_LEADS = Pattern.compile("\"total\":\\{[^}]*?\"newLeads\":(\\d+)");

    record Probe(String campaign, long answeredNanos) {
    }

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        String formKey = args[1];
        java.nio.file.Path tokenFile = java.nio.file.Path.of(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int probesPerSecond = Integer.parseInt(args[5]);
        int pollMs = Integer.parseInt(args[6]);
        long giveUpMs = 30_000;
        String run = Long.toString(System.currentTimeMillis(), 36);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        URI submit = URI.create(gateway + "/api/capture/forms/" + formKey + "/submissions");
        AtomicLong sent = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong pollErrors = new AtomicLong();
        AtomicLong refusedProbes = new AtomicLong();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> answerMs = new ConcurrentLinkedQueue<>();
        List<Double> freshness = Collections.synchronizedList(new ArrayList<>());
        List<String> missed = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4);

        // one tick every 10 ms sends rate/100 submissions (the remainder spread by a running total)
        long ticks = seconds * 100L;
        AtomicLong tick = new AtomicLong();
        AtomicLong probeNo = new AtomicLong();
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            long t = tick.incrementAndGet();
            if (t > ticks) {
                return;
            }
            long due = t * rate / 100 - (t - 1) * rate / 100;
            long probesDue = t * probesPerSecond / 100 - (t - 1) * probesPerSecond / 100;
            for (long i = 0; i < due; i++) {
                long n = sent.incrementAndGet();
                boolean probe = i < probesDue;
                String campaign = probe ? "fresh-" + run + "-" + probeNo.incrementAndGet() : "fresh-load";
                String body = "{\"email\":\"f" + run + "-" + n + "@fresh.example.com\",\"firstName\":\"F\","
                        + "\"company\":\"Fresh Co\",\"utm\":{\"source\":\"freshness\",\"campaign\":\"" + campaign + "\"}}";
                HttpRequest req = HttpRequest.newBuilder(submit).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long t0 = System.nanoTime();
                http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
                    long answered = System.nanoTime();
                    int code = err != null ? -1 : res.statusCode();
                    statuses.merge(code, 1, Integer::sum);
                    if (code != 202) {
                        refused.incrementAndGet();
                        if (probe) {
                            refusedProbes.incrementAndGet(); // never polled; fails the run through the refused count
                        }
                        return;
                    }
                    accepted.incrementAndGet();
                    answerMs.add((answered - t0) / 1e6);
                    if (probe) {
                        poll(http, pollers, gateway, tokenFile, today, new Probe(campaign, answered), pollMs, giveUpMs,
                                freshness, missed, pollErrors);
                    }
                });
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        while (tick.get() < ticks) {
            Thread.sleep(200);
        }
        long loadEnd = System.nanoTime();
        ticker.shutdown();
        // wait for the last probes (each ends by being seen or by giving up)
        long probes = probeNo.get();
        long deadline = System.currentTimeMillis() + giveUpMs + 40_000;
        while (freshness.size() + missed.size() + refusedProbes.get() < probes && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        pollers.shutdownNow();

        double offered = sent.get() / ((loadEnd - start) / 1e9);
        List<Double> f = new ArrayList<>(freshness);
        Collections.sort(f);
        List<Double> a = new ArrayList<>(answerMs);
        Collections.sort(a);
        System.out.printf("RESULT offered_per_s=%.0f sent=%d accepted=%d refused=%d statuses=%s%n",
                offered, sent.get(), accepted.get(), refused.get(), statuses);
        System.out.printf("RESULT answer_ms p50=%.1f p99=%.1f max=%.1f%n", pct(a, 0.5), pct(a, 0.99), pct(a, 1.0));
        System.out.printf("RESULT probes=%d seen=%d missed=%d poll_errors=%d poll_ms=%d%n",
                probes, f.size(), missed.size(), pollErrors.get(), pollMs);
        System.out.printf("RESULT freshness_ms p50=%.0f p90=%.0f p99=%.0f max=%.0f%n",
                pct(f, 0.5), pct(f, 0.9), pct(f, 0.99), pct(f, 1.0));
        if (!missed.isEmpty()) {
            System.out.println("RESULT missed " + missed.subList(0, Math.min(5, missed.size())));
        }
        System.exit(missed.isEmpty() && refused.get() == 0 ? 0 : 1);
    }

    static void poll(HttpClient http, ScheduledExecutorService pollers, String gateway, java.nio.file.Path tokenFile,
            String today, Probe probe, int pollMs, long giveUpMs, List<Double> freshness, List<String> missed,
            AtomicLong pollErrors) {
        pollers.schedule(new Runnable() {
            @Override
            public void run() {
                String token;
                try {
                    token = java.nio.file.Files.readString(tokenFile).trim();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                URI uri = URI.create(gateway + "/api/kpi/reports/leads?from=" + today + "&to=" + today
                        + "&grain=day&campaign=" + probe.campaign());
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).build();
                Runnable again = this;
                http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((res, err) -> {
                    long now = System.nanoTime();
                    if (err == null && res.statusCode() == 200) {
                        Matcher m = NEW_LEADS.matcher(res.body());
                        if (m.find() && Long.parseLong(m.group(1)) >= 1) {
                            freshness.add((now - probe.answeredNanos()) / 1e6);
                            return;
                        }
                    } else {
                        pollErrors.incrementAndGet();
                    }
                    if ((now - probe.answeredNanos()) / 1_000_000 > giveUpMs) {
                        missed.add(probe.campaign());
                    } else {
                        pollers.schedule(again, pollMs, TimeUnit.MILLISECONDS);
                    }
                });
            }
        }, pollMs, TimeUnit.MILLISECONDS);
    }

    static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
