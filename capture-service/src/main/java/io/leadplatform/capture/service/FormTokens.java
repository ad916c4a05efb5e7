package io.leadplatform.capture.service;

import io.leadplatform.capture.config.FormsConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signed tokens of the forms channel, HMAC-SHA256 with the configured secret:
 * render tokens ({@code <epochMillis>.<sig>} over form key + render time) and double opt-in
 * confirmation tokens ({@code <payload>.<sig>}, payload = base64url(leadId|formKey|expiresEpochSeconds)).
 */
@ApplicationScoped
public class FormTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;

    public FormTokens(FormsConfig config) {
        this.key = config.secret().getBytes(StandardCharsets.UTF_8);
    }

    public String renderToken(String formKey, Instant renderedAt) {
        String ts = Long.toString(renderedAt.toEpochMilli());
        return ts + "." + sign("render|" + formKey + "|" + ts);
    }

    /** The render time a token carries, or null when it is malformed or not signed by us for this form. */
    public Instant verifyRender(String formKey, String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 20) {
            return null;
        }
        String ts = token.substring(0, dot);
        if (!ts.chars().allMatch(Character::isDigit) || !equal(sign("render|" + formKey + "|" + ts), token.substring(dot + 1))) {
            return null;
        }
        return Instant.ofEpochMilli(Long.parseLong(ts));
    }

    public String confirmToken(UUID leadId, String formKey, Instant expiresAt) {
        String payload = B64.encodeToString((leadId + "|" + formKey + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + sign("confirm|" + payload);
    }

    /** What a confirmation token says, or null when it is malformed or forged. */
    public ConfirmClaim verifyConfirm(String token) {
        if (token == null || token.length() > 500) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || !equal(sign("confirm|" + token.substring(0, dot)), token.substring(dot + 1))) {
            return null;
        }
        try {
            String[] parts = new String(B64D.decode(token.substring(0, dot)), StandardCharsets.UTF_8).split("\\|");
            return new ConfirmClaim(UUID.fromString(parts[0]), parts[1], Instant.ofEpochSecond(Long.parseLong(parts[2])));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public record ConfirmClaim(UUID leadId, String formKey, Instant expiresAt) {
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
