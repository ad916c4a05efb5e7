package io.leadplatform.kpi.service.engine;

import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.ExchangeRate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Currency conversion and cost spreading. A rate converts one unit of a currency into the reporting currency
 * for a calendar month; the reporting currency converts at 1. A cost is spread evenly over the days of its
 * period; the part of a month is converted at that month's rate.
 */
public final class Money {

    private final String reportingCurrency;
    private final Map<String, BigDecimal> rates = new HashMap<>();

    public Money(String reportingCurrency, List<ExchangeRate> rates) {
        this.reportingCurrency = reportingCurrency;
        rates.forEach(r -> this.rates.put(r.currency() + "@" + r.month(), r.rate()));
    }

    /** The rate of the currency in the month (first day), null when none is known. */
    public BigDecimal rate(String currency, LocalDate month) {
        return reportingCurrency.equals(currency) ? BigDecimal.ONE : rates.get(currency + "@" + month.withDayOfMonth(1));
    }

    /** The amount in the reporting currency, null when the month has no rate. */
    public BigDecimal convert(BigDecimal amount, String currency, LocalDate month) {
        BigDecimal rate = rate(currency, month);
        return rate == null ? null : amount.multiply(rate);
    }

    /** The months of [from, to] that lack a rate for the currency. */
    public List<LocalDate> missingMonths(String currency, LocalDate from, LocalDate to) {
        List<LocalDate> missing = new ArrayList<>();
        for (LocalDate m = from.withDayOfMonth(1); !m.isAfter(to); m = m.plusMonths(1)) {
            if (rate(currency, m) == null) {
                missing.add(m);
            }
        }
        return missing;
    }

    /** The share of the cost that falls on the days of [from, to], in the reporting currency (6 decimals). */
    public BigDecimal costIn(CampaignCost cost, LocalDate from, LocalDate to) {
        LocalDate start = cost.periodFrom().isAfter(from) ? cost.periodFrom() : from;
        LocalDate end = cost.periodTo().isBefore(to) ? cost.periodTo() : to;
        if (end.isBefore(start)) {
            return BigDecimal.ZERO.setScale(Formulas.SCALE);
        }
        long totalDays = ChronoUnit.DAYS.between(cost.periodFrom(), cost.periodTo()) + 1;
        BigDecimal total = BigDecimal.ZERO;
        for (LocalDate m = start.withDayOfMonth(1); !m.isAfter(end); m = m.plusMonths(1)) {
            LocalDate a = m.isBefore(start) ? start : m;
            LocalDate monthEnd = m.plusMonths(1).minusDays(1);
            LocalDate b = monthEnd.isAfter(end) ? end : monthEnd;
            long days = ChronoUnit.DAYS.between(a, b) + 1;
            BigDecimal rate = rate(cost.currency(), m);
            if (rate == null) {
                throw new IllegalStateException("no rate for " + cost.currency() + " in " + m);
            }
            total = total.add(cost.amount().multiply(BigDecimal.valueOf(days)).multiply(rate));
        }
        return total.divide(BigDecimal.valueOf(totalDays), Formulas.SCALE, RoundingMode.HALF_EVEN);
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }
}
