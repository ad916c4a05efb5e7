package io.leadplatform.kpi.domain;

import java.math.BigDecimal;

/** The price a partner is paid per accepted lead (reporting currency) and its credit window in days. */
public record PartnerPrice(String partner, BigDecimal pricePerLead, String currency, int creditWindowDays) {
}
