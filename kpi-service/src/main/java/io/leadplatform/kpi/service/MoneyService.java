package io.leadplatform.kpi.service;

import io.leadplatform.common.rest.Problem;
import io.leadplatform.common.rest.ProblemException;
import io.leadplatform.kpi.config.KpiConfig;
import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.ExchangeRate;
import io.leadplatform.kpi.domain.PartnerPrice;
import io.leadplatform.kpi.repository.MoneyRepository;
import io.leadplatform.kpi.service.engine.Money;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Use cases: enter campaign costs, exchange rates and partner prices (checked: a bad value is a 422, nothing written). */
@ApplicationScoped
public class MoneyService {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    static final int MAX_COST_DAYS = 366;

    private final MoneyRepository repository;
    private final KpiConfig config;

    public MoneyService(MoneyRepository repository, KpiConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** A new cost; its currency needs a rate for every month of its period unless it is the reporting currency. */
    public record NewCost(String channel, String campaign, LocalDate from, LocalDate to, BigDecimal amount, String currency) {
    }

    public Uni<CampaignCost> addCost(NewCost c) {
        List<Problem.FieldError> errors = new ArrayList<>();
        text(errors, "channel", c.channel(), true);
        text(errors, "campaign", c.campaign(), false);
        if (c.from() == null) {
            errors.add(new Problem.FieldError("from", "is required"));
        }
        if (c.to() == null) {
            errors.add(new Problem.FieldError("to", "is required"));
        }
        if (c.from() != null && c.to() != null && (c.to().isBefore(c.from()) || ChronoUnit.DAYS.between(c.from(), c.to()) >= MAX_COST_DAYS)) {
            errors.add(new Problem.FieldError("to", "must be on or after from, at most " + MAX_COST_DAYS + " days"));
        }
        if (c.amount() == null || c.amount().signum() < 0) {
            errors.add(new Problem.FieldError("amount", "must be zero or more"));
        }
        currency(errors, "currency", c.currency());
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        }
        return repository.rates().chain(rates -> {
            List<LocalDate> missing = new Money(config.reportingCurrency(), rates).missingMonths(c.currency(), c.from(), c.to());
            if (!missing.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.invalid("currency", "no exchange rate " + c.currency() + " -> "
                        + config.reportingCurrency() + " for " + missing.stream().map(m -> m.toString().substring(0, 7)).toList()
                        + ": PUT /api/kpi/rates/" + c.currency() + "/{month} first"));
            }
            CampaignCost cost = new CampaignCost(UUID.randomUUID(), c.channel(), c.campaign() == null ? "" : c.campaign(), c.from(), c.to(),
                    c.amount(), c.currency(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            return repository.insertCost(cost).replaceWith(cost);
        });
    }

    public Uni<List<CampaignCost>> costs(LocalDate from, LocalDate to) {
        return repository.costs(from, to);
    }

    public Uni<Void> deleteCost(UUID id) {
        return repository.deleteCost(id).invoke(found -> {
            if (!found) {
                throw ProblemException.notFound("no cost " + id);
            }
        }).replaceWithVoid();
    }

    public Uni<ExchangeRate> putRate(String currency, String month, BigDecimal rate) {
        List<Problem.FieldError> errors = new ArrayList<>();
        currency(errors, "currency", currency);
        if (config.reportingCurrency().equals(currency)) {
            errors.add(new Problem.FieldError("currency", "is the reporting currency (rate 1)"));
        }
        LocalDate start = null;
        try {
            start = LocalDate.parse(month + "-01");
        } catch (RuntimeException e) {
            errors.add(new Problem.FieldError("month", "must be a month like 2026-11"));
        }
        if (rate == null || rate.signum() <= 0) {
            errors.add(new Problem.FieldError("rate", "must be more than zero"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        }
        ExchangeRate r = new ExchangeRate(currency, start, rate);
        return repository.putRate(r).replaceWith(r);
    }

    public Uni<List<ExchangeRate>> rates() {
        return repository.rates();
    }

    public Uni<PartnerPrice> putPrice(String partner, BigDecimal price, String currency, Integer creditWindowDays) {
        List<Problem.FieldError> errors = new ArrayList<>();
        text(errors, "partnerId", partner, true);
        if (price == null || price.signum() < 0) {
            errors.add(new Problem.FieldError("pricePerLead", "must be zero or more"));
        }
        String cur = currency == null ? config.reportingCurrency() : currency;
        if (!config.reportingCurrency().equals(cur)) {
            errors.add(new Problem.FieldError("currency", "prices are in the reporting currency " + config.reportingCurrency()));
        }
        int window = creditWindowDays == null ? config.defaultCreditWindowDays() : creditWindowDays;
        if (window < 0 || window > 365) {
            errors.add(new Problem.FieldError("creditWindowDays", "must be between 0 and 365"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(Problem.invalid(errors)));
        }
        PartnerPrice p = new PartnerPrice(partner, price, cur, window);
        return repository.putPrice(p).replaceWith(p);
    }

    public Uni<List<PartnerPrice>> prices() {
        return repository.prices();
    }

    static void text(List<Problem.FieldError> errors, String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new Problem.FieldError(field, "is required"));
            }
        } else if (value.length() > 200) {
            errors.add(new Problem.FieldError(field, "at most 200 characters"));
        }
    }

    private static void currency(List<Problem.FieldError> errors, String field, String value) {
        if (value == null || !CURRENCY.matcher(value).matches()) {
            errors.add(new Problem.FieldError(field, "must be an ISO 4217 code like EUR"));
        }
    }
}
