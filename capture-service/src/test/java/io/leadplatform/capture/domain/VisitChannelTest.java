package io.leadplatform.capture.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static io.leadplatform.capture.domain.VisitChannel.DIRECT;
import static io.leadplatform.capture.domain.VisitChannel.EMAIL;
import static io.leadplatform.capture.domain.VisitChannel.ORGANIC_SEARCH;
import static io.leadplatform.capture.domain.VisitChannel.PAID;
import static io.leadplatform.capture.domain.VisitChannel.PARTNER;
import static io.leadplatform.capture.domain.VisitChannel.REFERRAL;
import static io.leadplatform.capture.domain.VisitChannel.SOCIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The channel rules of capture-service/README.md, one example each. */
class VisitChannelTest {

    private static final Set<String> PARTNERS = Set.of("acme-partner.example", "www.globex.example");

    private static VisitChannel of(Map<String, String> utm, String clickId, String referrer) {
        return VisitChannel.classify(utm, clickId, referrer, "www.shop.example", PARTNERS);
    }

    private static VisitChannel referred(String referrer) {
        return of(Map.of(), null, referrer);
    }

    @Test
    void anAdClickIdOrAPaidMediumIsPaidWhateverTheReferrer() {
        assertEquals(PAID, of(Map.of(), "gclid", "www.google.com"));
        assertEquals(PAID, of(Map.of(), "fbclid", "l.facebook.com"));
        assertEquals(PAID, of(Map.of("source", "google", "medium", "cpc"), null, "www.google.com"));
        assertEquals(PAID, of(Map.of("source", "linkedin", "medium", "Paid_Social"), null, null));
        assertEquals(PAID, of(Map.of("medium", "display"), null, null));
    }

    @Test
    void utmMediumDecidesBeforeTheReferrer() {
        assertEquals(EMAIL, of(Map.of("source", "newsletter", "medium", "email"), null, "mail.google.com"));
        assertEquals(EMAIL, of(Map.of("medium", "E-Mail"), null, null));
        assertEquals(PARTNER, of(Map.of("source", "acme", "medium", "affiliate"), null, "www.google.com"));
        assertEquals(SOCIAL, of(Map.of("source", "linkedin", "medium", "social"), null, null));
        assertEquals(ORGANIC_SEARCH, of(Map.of("source", "bing", "medium", "organic"), null, null));
        assertEquals(REFERRAL, of(Map.of("source", "google", "medium", "referral"), null, "www.google.com"));
    }

    @Test
    void aTaggedLinkWithAnUnknownMediumIsClassifiedByItsSource() {
        assertEquals(SOCIAL, of(Map.of("source", "facebook"), null, null));
        assertEquals(SOCIAL, of(Map.of("source", "x", "medium", "post"), null, null));
        assertEquals(ORGANIC_SEARCH, of(Map.of("source", "google"), null, null));
        assertEquals(EMAIL, of(Map.of("source", "spring-newsletter", "medium", "blast"), null, null));
        assertEquals(EMAIL, of(Map.of("source", "crm", "medium", "mailing"), null, null));
        assertEquals(PARTNER, of(Map.of("source", "acme-partner.example", "medium", "banner-swap"), null, null));
        assertEquals(REFERRAL, of(Map.of("source", "podcast", "medium", "audio"), null, null));
        assertEquals(REFERRAL, of(Map.of("campaign", "spring"), null, null), "a campaign alone is tagged traffic, not direct");
    }

    @Test
    void withoutUtmTheReferrerHostDecides() {
        assertEquals(DIRECT, referred(null));
        assertEquals(DIRECT, referred(""));
        assertEquals(DIRECT, referred("shop.example"), "the site itself (www. ignored) is no referrer");
        assertEquals(DIRECT, referred("blog.shop.example"), "a subdomain of the site neither");
        assertEquals(ORGANIC_SEARCH, referred("www.google.com"));
        assertEquals(ORGANIC_SEARCH, referred("www.google.co.uk"));
        assertEquals(ORGANIC_SEARCH, referred("duckduckgo.com"));
        assertEquals(ORGANIC_SEARCH, referred("search.brave.com"));
        assertEquals(EMAIL, referred("mail.google.com"), "webmail before search");
        assertEquals(EMAIL, referred("outlook.live.com"));
        assertEquals(EMAIL, referred("webmail.example-isp.net"));
        assertEquals(SOCIAL, referred("l.facebook.com"));
        assertEquals(SOCIAL, referred("www.linkedin.com"));
        assertEquals(SOCIAL, referred("t.co"));
        assertEquals(SOCIAL, referred("x.com"));
        assertEquals(REFERRAL, referred("x.example.com"), "a label x elsewhere is not x.com");
        assertEquals(PARTNER, referred("acme-partner.example"));
        assertEquals(PARTNER, referred("offers.acme-partner.example"));
        assertEquals(PARTNER, referred("globex.example"), "partner hosts are compared without www.");
        assertEquals(REFERRAL, referred("news.ycombinator.com"));
        assertEquals(REFERRAL, referred("blog.example.org:8443"));
    }

    @Test
    void brandIsTheLabelBeforeThePublicSuffix() {
        assertEquals("google", VisitChannel.brand("www.google.co.uk"));
        assertEquals("facebook", VisitChannel.brand("l.facebook.com"));
        assertEquals("example", VisitChannel.brand("x.example.com"));
        assertEquals("newsletter", VisitChannel.brand("newsletter"));
        assertNull(VisitChannel.host("  "));
        assertEquals("shop.example", VisitChannel.host("WWW.Shop.Example:443"));
    }

    @Test
    void websiteVisitKeepsHostsAndPathsOnly() {
        assertEquals("www.google.com", WebsiteVisit.referrerHost("https://www.google.com/search?q=my+name"));
        assertEquals("t.co", WebsiteVisit.referrerHost("t.co"));
        assertEquals("news.example", WebsiteVisit.referrerHost("news.example/a/b?c=d"));
        assertNull(WebsiteVisit.referrerHost(""));
        String[] hp = WebsiteVisit.hostAndPath("https://Shop.Example/pricing?email=a@b.c#x");
        assertEquals("shop.example", hp[0]);
        assertEquals("/pricing", hp[1]);
        assertEquals("/", WebsiteVisit.hostAndPath("https://shop.example")[1]);
        assertEquals("/", WebsiteVisit.hostAndPath(null)[1]);
    }
}
