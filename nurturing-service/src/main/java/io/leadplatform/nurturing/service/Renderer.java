package io.leadplatform.nurturing.service;

import io.leadplatform.nurturing.config.NurturingConfig;
import io.leadplatform.nurturing.domain.Contact;
import io.leadplatform.nurturing.domain.EmailTemplate;
import io.leadplatform.nurturing.service.engine.LinkSigner;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders templates with Qute: the subject and text body as plain text, the HTML body with HTML escaping of every
 * value (a lead named {@code <script>} stays text). For a real send it then rewrites the HTML's links into signed
 * click redirects, adds the open pixel and the hidden trap link.
 */
@ApplicationScoped
public class Renderer {

    /** The variables a template may use (strict rendering: anything else is an error at save time). */
    public static final String VARIABLES = "lead.firstName, lead.lastName, lead.company, lead.email, lead.country, unsubscribeUrl, confirmUrl, expiresAt";

    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"", Pattern.CASE_INSENSITIVE);

    private final Engine engine;
    private final LinkSigner signer;
    private final String publicUrl;
    private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

    public Renderer(Engine engine, NurturingConfig config) {
        this.engine = engine;
        this.signer = new LinkSigner(config.linkSecret());
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
    }

    public record Rendered(String subject, String html, String text) {
    }

    private record Parsed(Template subject, Template html, Template text) {
    }

    /** Parses and renders the template with sample data: throws {@link io.quarkus.qute.TemplateException} naming the problem. */
    public void check(EmailTemplate t) {
        Parsed p = parse(t);
        Map<String, Object> data = data(new Contact(UUID.randomUUID(), "erika@example.com", "Erika", "Muster", "Acme", "DE", null,
                "active", null, null, true, null, null, null, null, null, null, null), Map.of(), publicUrl + "/api/nurturing/unsubscribe/sample");
        p.subject().render(data);
        p.html().render(data);
        if (p.text() != null) {
            p.text().render(data);
        }
    }

    /** Renders for a preview (no tracking). */
    public Rendered render(EmailTemplate t, Contact lead, Map<String, String> variables, String unsubscribeUrl) {
        Parsed p = cache.computeIfAbsent(t.id() + "@" + t.updatedAt(), k -> parse(t));
        Map<String, Object> data = data(lead, variables, unsubscribeUrl);
        return new Rendered(p.subject().render(data).strip(), p.html().render(data), p.text() == null ? null : p.text().render(data));
    }

    /** Renders for sending: links become signed click redirects, plus the open pixel and the trap link. */
    public Rendered renderTracked(EmailTemplate t, Contact lead, Map<String, String> variables, UUID emailId) {
        Rendered r = render(t, lead, variables, unsubscribeUrl(emailId));
        Matcher m = HREF.matcher(r.html());
        StringBuilder html = new StringBuilder();
        int link = 0;
        while (m.find()) {
            String target = m.group(1).replace("&amp;", "&");
            String replacement = target.startsWith(publicUrl) ? m.group(0)
                    : "href=\"" + clickUrl(emailId, "l" + link++, target) + "\"";
            m.appendReplacement(html, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(html);
        String tracking = "<a href=\"" + clickUrl(emailId, "trap", publicUrl + "/") + "\" style=\"display:none\" aria-hidden=\"true\" tabindex=\"-1\"></a>"
                + "<img src=\"" + publicUrl + "/api/nurturing/o/" + signer.sign("o:" + emailId) + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        int body = html.lastIndexOf("</body>");
        if (body >= 0) {
            html.insert(body, tracking);
        } else {
            html.append(tracking);
        }
        return new Rendered(r.subject(), html.toString(), r.text());
    }

    public String unsubscribeUrl(UUID emailId) {
        return publicUrl + "/api/nurturing/unsubscribe/" + signer.sign("u:" + emailId);
    }

    String clickUrl(UUID emailId, String link, String target) {
        return publicUrl + "/api/nurturing/c/" + signer.sign("c:" + emailId + ":" + link + ":" + target);
    }

    public LinkSigner signer() {
        return signer;
    }

    private Parsed parse(EmailTemplate t) {
        return new Parsed(engine.parse(t.subject(), Variant.forContentType(Variant.TEXT_PLAIN)),
                engine.parse(t.html(), Variant.forContentType(Variant.TEXT_HTML)),
                t.text() == null ? null : engine.parse(t.text(), Variant.forContentType(Variant.TEXT_PLAIN)));
    }

    private static Map<String, Object> data(Contact c, Map<String, String> variables, String unsubscribeUrl) {
        Map<String, Object> lead = new HashMap<>();
        lead.put("firstName", nz(c == null ? null : c.firstName()));
        lead.put("lastName", nz(c == null ? null : c.lastName()));
        lead.put("company", nz(c == null ? null : c.company()));
        lead.put("email", nz(c == null ? null : c.email()));
        lead.put("country", nz(c == null ? null : c.country()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lead", lead);
        data.put("unsubscribeUrl", unsubscribeUrl);
        data.put("confirmUrl", nz(variables.get("confirmUrl")));
        data.put("expiresAt", nz(variables.get("expiresAt")));
        return data;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
