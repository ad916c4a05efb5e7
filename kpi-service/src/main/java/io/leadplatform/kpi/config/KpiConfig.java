package io.leadplatform.kpi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

@ConfigMapping(prefix = "kpi")
public interface KpiConfig {

    /** The currency every money KPI is reported in. */
    @WithDefault("EUR")
    String reportingCurrency();

    /** Form keys (sourceRef of source=form) whose leads are registrations (new members). */
    @WithDefault("register,registration,signup")
    List<String> registrationForms();

    /** Consent purpose that makes a lead a newsletter subscriber. */
    @WithDefault("newsletter")
    String newsletterPurpose();

    /** Half-life of the time-decay attribution model. */
    @WithDefault("P7D")
    Duration timeDecayHalfLife();

    /** Credit window of a partner without its own (days after capture). */
    @WithDefault("30")
    int defaultCreditWindowDays();
}
