package io.leadplatform.capture.domain;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * What a page view tells about the visit it belongs to, as website.activity carries it: no personal data
 * (the page's host and path without query, the referrer's host only, the session's UTM parameters and
 * channel).
 */
public record WebsiteVisit(String sessionId, boolean sessionStart, String host, String path, String referrerHost,
                           Map<String, String> utm, VisitChannel channel) {

    /** Host and path of a page address; path "/" when it has none, both null when it is not a URL. */
    public static String[] hostAndPath(String url) {
        if (url == null || url.isBlank()) {
            return new String[]{null, "/"};
        }
        try {
            URI uri = new URI(url.trim());
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new String[]{uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT), truncate(path, 2000)};
        } catch (java.net.URISyntaxException e) {
            return new String[]{null, "/"};
        }
    }

    /** The host of a referrer sent as a URL or as a bare host name; null when there is none. */
    public static String referrerHost(String referrer) {
        if (referrer == null || referrer.isBlank()) {
            return null;
        }
        String r = referrer.trim();
        if (r.contains("://")) {
            return hostAndPath(r)[0];
        }
        int end = r.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int i = r.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String host = r.substring(0, end).toLowerCase(Locale.ROOT);
        return host.isEmpty() ? null : truncate(host, 255);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
