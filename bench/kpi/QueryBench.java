import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Latency of every dashboard query of kpi-service: each report for a whole year (grain month) and for a single day,
 * without and with filters (channel + campaign; partner for the partner report), WARMUP + RUNS sequential requests each.
 * Usage: java bench/kpi/QueryBench.java BASE_URL TOKEN [RUNS]
 */
public class QueryBench {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String[] reports = {"website", "leads", "funnel", "money", "email", "partners", "attribution"};
        String[][] periods = {{"year", "from=2025-01-01&to=2025-12-31&grain=month"}, {"day", "from=2025-06-15&to=2025-06-15&grain=day"}};
        System.out.printf("%-12s %-5s %-8s %8s %8s %8s%n", "report", "period", "filters", "p50 ms", "p99 ms", "max ms");
        double worst = 0;
        for (String report : reports) {
            for (String[] period : periods) {
                for (boolean filtered : new boolean[]{false, true}) {
                    String filter = !filtered ? "" : report.equals("partners") ? "&partner=partner-1" : "&channel=paid&campaign=campaign-3";
                    URI uri = URI.create(base + "/api/kpi/reports/" + report + "?" + period[1] + filter);
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build();
                    double[] ms = new double[runs];
                    for (int i = -20; i < runs; i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() != 200) {
                            throw new IllegalStateException(uri + " answered " + res.statusCode() + ": " + res.body());
                        }
                        if (i >= 0) {
                            ms[i] = (System.nanoTime() - t) / 1e6;
                        }
                    }
                    Arrays.sort(ms);
                    double p99 = ms[(int) Math.ceil(0.99 * runs) - 1];
                    worst = Math.max(worst, p99);
                    System.out.printf("%-12s %-5s %-8s %8.1f %8.1f %8.1f%n", report, period[0], filtered ? "yes" : "no",
                            ms[(int) Math.ceil(0.5 * runs) - 1], p99, ms[runs - 1]);
                }
            }
        }
        System.out.printf("worst p99: %.1f ms%n", worst);
    }
}
