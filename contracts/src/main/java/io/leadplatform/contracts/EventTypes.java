package io.leadplatform.contracts;

import java.util.Set;

/** The CloudEvents {@code type} of every event in DESIGN.md's table, and the topic each producer writes to. */
public final class EventTypes {

    public static final String LEAD_CAPTURED = "lead.captured";
    public static final String LEAD_UPDATED = "lead.updated";
    public static final String LEAD_ACTIVITY = "lead.activity";
    public static final String LEAD_SCORED = "lead.scored";
    public static final String STAGE_CHANGED = "lead.stage-changed";
    public static final String EMAIL_EVENT = "email.event";
    public static final String DEAL_CLOSED = "deal.closed";
    public static final String LEAD_ERASED = "lead.erased";
    public static final String LEAD_OPTIN_REQUESTED = "lead.optin-requested";
    public static final String LEAD_MERGED = "lead.merged";
    /** Page view of a website visitor, anonymous or known (no personal data); key = visitor id. */
    public static final String WEBSITE_ACTIVITY = "website.activity";

    public static final Set<String> ALL = Set.of(LEAD_CAPTURED, LEAD_UPDATED, LEAD_ACTIVITY, LEAD_SCORED,
            STAGE_CHANGED, EMAIL_EVENT, DEAL_CLOSED, LEAD_ERASED, LEAD_OPTIN_REQUESTED, LEAD_MERGED, WEBSITE_ACTIVITY);

    /** Topics: one per producing service, keyed by lead id, so one lead's events from one producer stay ordered. */
    public static final String CAPTURE_TOPIC = "capture.events";
    public static final String SCORING_TOPIC = "scoring.events";
    public static final String NURTURING_TOPIC = "nurturing.events";

    private EventTypes() {
    }
}
