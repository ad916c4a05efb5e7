package io.leadplatform.kpi.domain;

/** Lifecycle stages as scoring-service emits them in lead.stage-changed. */
public enum Stage {
    VISITOR, SUBSCRIBER, LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED;

    /** The stages of the funnel, in order: reaching one implies having passed the earlier ones. */
    public static final Stage[] FUNNEL = {LEAD, MQL, SQL, OPPORTUNITY, CUSTOMER};

    public int funnelIndex() {
        for (int i = 0; i < FUNNEL.length; i++) {
            if (FUNNEL[i] == this) {
                return i;
            }
        }
        return -1;
    }
}
