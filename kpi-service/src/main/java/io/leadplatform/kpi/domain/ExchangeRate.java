package io.leadplatform.kpi.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Units of the reporting currency for one unit of {@code currency} during the month starting at {@code month}. */
public record ExchangeRate(String currency, LocalDate month, BigDecimal rate) {
}
