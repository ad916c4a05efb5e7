package io.leadplatform.nurturing.service.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether an open or a click came from the reader (human), from a security scanner or link checker
 * (bot), or from a mail provider's privacy or image proxy (proxy), and says which rule fired. The rules run
 * in the order below; the first that fires wins. Sources: see nurturing-service/README.md.
 */
public final class EngagementClassifier {

    public static final String HUMAN = "human";
    public static final String BOT = "bot";
    public static final String PROXY = "proxy";

    /** One request on a tracking link. {@code sinceSent} null when unknown; {@code linksHitRecently} counts this one. */
    public record Hit(boolean click, String method, String userAgent, String remoteAddress, Duration sinceSent, boolean trap,
                      int linksHitRecently) {
    }

    public record Verdict(String classification, String reason) {
        public boolean bot() {
            return !HUMAN.equals(classification);
        }
    }

    private final List<String> scannerAgents;
    private final List<String> proxyAgents;
    private final List<Cidr> proxyNetworks;
    private final Duration minHumanDelay;
    private final int burstLinks;

    public EngagementClassifier(List<String> scannerAgents, List<String> proxyAgents, List<String> proxyNetworks,
                                Duration minHumanDelay, int burstLinks) {
        this.scannerAgents = scannerAgents.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.proxyAgents = proxyAgents.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.proxyNetworks = proxyNetworks.stream().map(Cidr::parse).toList();
        this.minHumanDelay = minHumanDelay;
        this.burstLinks = burstLinks;
    }

    public Verdict classify(Hit hit) {
        String agent = hit.userAgent() == null ? "" : hit.userAgent().toLowerCase(Locale.ROOT);
        if (hit.trap()) {
            return new Verdict(BOT, "hidden trap link: no reader can see it");
        }
        if ("HEAD".equalsIgnoreCase(hit.method())) {
            return new Verdict(BOT, "HEAD request: link checkers probe without fetching");
        }
        for (String p : proxyAgents) {
            if (agent.contains(p)) {
                return new Verdict(PROXY, "privacy/image proxy user agent (" + p + ")");
            }
        }
        if (inProxyNetwork(hit.remoteAddress())) {
            return new Verdict(PROXY, "request from a privacy proxy network (" + hit.remoteAddress() + ")");
        }
        if (agent.isBlank()) {
            return new Verdict(BOT, "no user agent");
        }
        for (String s : scannerAgents) {
            if (agent.contains(s)) {
                return new Verdict(BOT, "scanner user agent (" + s + ")");
            }
        }
        if (hit.sinceSent() != null && hit.sinceSent().compareTo(minHumanDelay) < 0) {
            return new Verdict(BOT, hit.sinceSent().toMillis() + " ms after the send: faster than a reader (" + minHumanDelay.toSeconds() + " s)");
        }
        if (hit.click() && hit.linksHitRecently() >= burstLinks) {
            return new Verdict(BOT, hit.linksHitRecently() + " links of the message hit at once: a scanner follows every link");
        }
        return new Verdict(HUMAN, "no bot rule fired");
    }

    private boolean inProxyNetwork(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        for (Cidr c : proxyNetworks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4 or IPv6 network in CIDR notation. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String cidr) {
            String[] parts = cidr.trim().split("/");
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                return new Cidr(network, parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a network: " + cidr, e);
            }
        }

        boolean contains(String address) {
            byte[] a;
            try {
                // only literal addresses: no lookup
                if (!address.matches("[0-9a-fA-F:.]+")) {
                    return false;
                }
                a = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                return false;
            }
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
