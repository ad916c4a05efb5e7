package io.leadplatform.scoring.service;

import io.leadplatform.scoring.domain.LeadScore.Contribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The first, simple fit score of the walking skeleton: points for a complete business profile.
 * Pure function; the configurable rule engine replaces it (scoring issue).
 */
public final class FitScoring {

    public static final String MODEL_VERSION = "skeleton-1";

    private static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
            "outlook.com", "live.com", "gmx.de", "gmx.net", "web.de", "icloud.com", "aol.com", "proton.me", "protonmail.com");

    private FitScoring() {
    }

    public record Result(int fit, String grade, List<Contribution> contributions) {
    }

    public static Result score(Map<String, Object> profile) {
        List<Contribution> parts = new ArrayList<>();
        add(parts, present(profile, "company"), "company-known", 10, "company given");
        add(parts, present(profile, "jobTitle"), "job-title-known", 10, "job title given");
        add(parts, present(profile, "phone"), "phone-known", 5, "phone number given");
        add(parts, present(profile, "country"), "country-known", 5, "country given");
        String email = String.valueOf(profile.getOrDefault("email", ""));
        String domain = email.contains("@") ? email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT) : "";
        add(parts, !domain.isEmpty() && !FREE_MAIL.contains(domain), "business-email", 10, "business e-mail domain");
        int fit = (int) parts.stream().mapToDouble(Contribution::points).sum();
        return new Result(fit, grade(fit), List.copyOf(parts));
    }

    /** Grade bands: A from 35 points, B from 25, C from 15, D from 10, E from 5, else F. */
    public static String grade(int fit) {
        if (fit >= 35) {
            return "A";
        } else if (fit >= 25) {
            return "B";
        } else if (fit >= 15) {
            return "C";
        } else if (fit >= 10) {
            return "D";
        } else if (fit >= 5) {
            return "E";
        }
        return "F";
    }

    private static boolean present(Map<String, Object> profile, String key) {
        Object v = profile.get(key);
        return v != null && !String.valueOf(v).isBlank();
    }

    private static void add(List<Contribution> parts, boolean when, String rule, int points, String reason) {
        if (when) {
            parts.add(new Contribution(rule, "fit", points, reason));
        }
    }
}
