package io.leadplatform.nurturing.domain;

import java.time.Instant;

/** An e-mail template: Qute subject, HTML and optional text body; transactional ones ignore consent, caps and windows. */
public record EmailTemplate(String id, String name, String subject, String html, String text, boolean transactional,
                            Instant updatedAt, String updatedBy) {
}
