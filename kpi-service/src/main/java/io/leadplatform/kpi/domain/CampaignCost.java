package io.leadplatform.kpi.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A campaign cost: amount in a currency over the days [periodFrom, periodTo], for a channel and (optional, '') campaign. */
public record CampaignCost(UUID id, String channel, String campaign, LocalDate periodFrom, LocalDate periodTo, BigDecimal amount,
                           String currency, Instant createdAt) {
}
