package io.leadplatform.nurturing.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One version of a sequence as marketing writes it: when leads enter (trigger), when they leave (goal,
 * phase), where and when mail may go (time zone, send window) and the ordered steps. Stored as JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record SequenceDefinition(
        String name,
        /** pre-sale (left when the lead becomes SQL, OPPORTUNITY or CUSTOMER) or after-sale. */
        String phase,
        Trigger trigger,
        /** May a lead that finished or left the sequence enter it again? */
        Boolean reenroll,
        /** IANA zone for leads whose own zone and country are unknown. */
        String timeZone,
        SendWindow sendWindow,
        Goal goal,
        List<Step> steps) {

    public static final String PRE_SALE = "pre-sale";
    public static final String AFTER_SALE = "after-sale";

    public boolean preSale() {
        return !AFTER_SALE.equals(phase);
    }

    public boolean mayReenroll() {
        return Boolean.TRUE.equals(reenroll);
    }

    /** What enrolls a lead: entering one of the stages, or submitting one of the forms. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(List<String> stages, List<String> forms) {
    }

    /** Days of the week (MONDAY … SUNDAY) and local hours (HH:mm, from inclusive, to exclusive) in the lead's zone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendWindow(List<String> days, String from, String to) {
    }

    /** Reaching the goal ends the enrollment: a human click on a mail of the sequence, a visit, a stage. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Goal(Boolean clicked, String visited, List<String> stages) {
    }

    /**
     * A step: {@code send} (template), {@code wait} (ISO-8601 duration), {@code wait-until} (weekday and time),
     * {@code branch} (condition, then, else) or {@code exit}. {@code next} jumps elsewhere instead of to the
     * following step.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String id, String type, String template, String duration, String weekday, String time,
                       Condition condition, String then, @JsonProperty("else") String otherwise, String next,
                       String reason) {

        public static final String SEND = "send";
        public static final String WAIT = "wait";
        public static final String WAIT_UNTIL = "wait-until";
        public static final String BRANCH = "branch";
        public static final String EXIT = "exit";

        public boolean waits() {
            return WAIT.equals(type) || WAIT_UNTIL.equals(type);
        }
    }

    /**
     * A branch condition; exactly one member is set: the lead's stage, grade or temperature is one of the
     * listed values; the mail of an earlier send step was opened / clicked (by a human); the lead visited a
     * URL matching a pattern ({@code *} any characters).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(List<String> stage, List<String> grade, List<String> temperature, String opened,
                            String clicked, String visited) {
    }
}
