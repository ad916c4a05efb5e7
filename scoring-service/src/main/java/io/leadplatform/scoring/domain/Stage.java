package io.leadplatform.scoring.domain;

/** Lifecycle stages of DESIGN.md. */
public enum Stage {
    VISITOR, SUBSCRIBER, LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED
}
