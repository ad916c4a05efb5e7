package io.leadplatform.capture.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The channel of a website visit, decided once per session from what the visit landed with: its UTM
 * parameters, the name of an ad click id in the landing URL (gclid, msclkid, fbclid, ...) and the host of
 * the referrer. The rules, first match wins, are documented in capture-service/README.md ("Channel of a
 * visit"). Pure logic.
 */
public enum VisitChannel {
    PAID("paid"),
    EMAIL("email"),
    PARTNER("partner"),
    SOCIAL("social"),
    ORGANIC_SEARCH("organic_search"),
    REFERRAL("referral"),
    DIRECT("direct");

    /** Ad click ids the tracking snippet reports by name (never their value). */
    public static final Set<String> CLICK_IDS = Set.of("gclid", "gbraid", "wbraid", "dclid", "msclkid", "fbclid", "ttclid",
            "li_fat_id", "twclid");

    private static final Set<String> PAID_MEDIA = Set.of("cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search",
            "sem", "cpm", "cpv", "cpa", "display", "banner", "retargeting", "paid_social", "paidsocial", "paid-social");
    private static final Set<String> EMAIL_MEDIA = Set.of("email", "e-mail", "e_mail", "mail", "newsletter");
    private static final Set<String> PARTNER_MEDIA = Set.of("partner", "partners", "affiliate", "affiliates");
    private static final Set<String> SOCIAL_MEDIA = Set.of("social", "social-network", "social_network", "social-media",
            "social_media", "sm", "organic_social", "organic-social");

    private static final Set<String> SEARCH_BRANDS = Set.of("google", "bing", "duckduckgo", "yahoo", "yandex", "baidu",
            "ecosia", "qwant", "startpage", "ask", "naver", "seznam", "brave", "aol", "kagi");
    private static final Set<String> SOCIAL_BRANDS = Set.of("facebook", "fb", "instagram", "linkedin", "twitter", "youtube",
            "reddit", "pinterest", "tiktok", "xing", "whatsapp", "snapchat", "quora", "vk", "weibo", "telegram", "discord",
            "mastodon", "threads", "bsky");
    /** Social hosts whose brand label says nothing (t.co) or is too short to match on its own (x). */
    private static final Set<String> SOCIAL_HOSTS = Set.of("t.co", "t.me", "lnkd.in", "x.com", "x", "bsky.app", "threads.net",
            "mastodon.social", "youtu.be");
    private static final Set<String> WEBMAIL_HOSTS = Set.of("mail.google.com", "outlook.live.com", "outlook.office.com",
            "outlook.office365.com", "mail.yahoo.com", "mail.proton.me", "mail.aol.com", "mail.zoho.com");
    /** Second-level labels under a country code (example.co.uk): the brand is the label before them. */
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "ac", "gov", "edu", "ne", "or");

    private final String id;

    VisitChannel(String id) {
        this.id = id;
    }

    /** The value in events (website.activity's {@code channel}). */
    public String id() {
        return id;
    }

    /**
     * @param utm          the landing page's UTM parameters (keys source, medium, campaign, term, content); may be empty
     * @param clickId      the name of an ad click id in the landing URL, or null
     * @param referrerHost host of the landing page's referrer, or null
     * @param pageHost     host of the landing page (a referrer on the same site is no referrer)
     * @param partnerHosts hosts of partner sites (capture.tracking.partner-hosts); a subdomain matches too
     */
    public static VisitChannel classify(Map<String, String> utm, String clickId, String referrerHost, String pageHost,
                                        Set<String> partnerHosts) {
        String medium = lower(utm.get("medium"));
        String source = lower(utm.get("source"));
        if (clickId != null && CLICK_IDS.contains(clickId) || PAID_MEDIA.contains(medium)) {
            return PAID;
        }
        if (EMAIL_MEDIA.contains(medium)) {
            return EMAIL;
        }
        if (PARTNER_MEDIA.contains(medium)) {
            return PARTNER;
        }
        if (SOCIAL_MEDIA.contains(medium)) {
            return SOCIAL;
        }
        if ("organic".equals(medium)) {
            return ORGANIC_SEARCH;
        }
        if ("referral".equals(medium)) {
            return REFERRAL;
        }
        String referrer = host(referrerHost);
        boolean internal = referrer == null || sameSite(referrer, host(pageHost));
        VisitChannel byReferrer = internal ? null : ofHost(referrer, partnerHosts);
        if (utm.values().stream().anyMatch(v -> v != null && !v.isBlank())) {
            // tagged, but with a medium these rules do not know: the source decides like a referrer would, then the referrer
            if (medium.contains("mail") || medium.contains("newsletter") || source.contains("newsletter")) {
                return EMAIL;
            }
            VisitChannel bySource = source.isEmpty() ? null : ofHost(source, partnerHosts);
            return bySource != null ? bySource : byReferrer != null ? byReferrer : REFERRAL;
        }
        if (internal) {
            return DIRECT;
        }
        return byReferrer == null ? REFERRAL : byReferrer;
    }

    /** Partner, e-mail (webmail), social or organic search by host; null for any other host. */
    private static VisitChannel ofHost(String host, Set<String> partnerHosts) {
        for (String partner : partnerHosts) {
            String p = host(partner);
            if (p != null && (host.equals(p) || host.endsWith("." + p))) {
                return PARTNER;
            }
        }
        if (WEBMAIL_HOSTS.contains(host) || host.startsWith("webmail.")) {
            return EMAIL;
        }
        String brand = brand(host);
        if (SOCIAL_HOSTS.contains(host) || SOCIAL_BRANDS.contains(brand)) {
            return SOCIAL;
        }
        if (SEARCH_BRANDS.contains(brand)) {
            return ORGANIC_SEARCH;
        }
        return null;
    }

    /** The label that names the site: google for www.google.co.uk, facebook for l.facebook.com, newsletter for newsletter. */
    static String brand(String host) {
        String[] labels = host.split("\\.");
        if (labels.length == 1) {
            return labels[0];
        }
        int i = labels.length - 2;
        if (labels.length >= 3 && labels[labels.length - 1].length() == 2 && SECOND_LEVEL.contains(labels[i])) {
            i--;
        }
        return labels[i];
    }

    private static boolean sameSite(String a, String b) {
        return b != null && (a.equals(b) || a.endsWith("." + b) || b.endsWith("." + a));
    }

    /** Lower case, without a leading www. and a port; null when blank. */
    static String host(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.startsWith("www.") ? h.substring(4) : h;
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
