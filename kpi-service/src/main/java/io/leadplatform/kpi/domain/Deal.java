package io.leadplatform.kpi.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A closed deal (deal.closed); only won deals count as revenue and gross margin. */
public record Deal(UUID dealId, UUID leadId, boolean won, BigDecimal revenue, BigDecimal grossMargin, String currency, Instant closedAt) {
}
