package io.leadplatform.nurturing.service.engine;

import io.leadplatform.nurturing.domain.SequenceDefinition.SendWindow;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Time in the lead's own zone: which zone, the next weekday-and-time, the next slot of a send window. */
public final class Schedule {

    private Schedule() {
    }

    /**
     * The lead's zone: its own IANA zone if valid, else the zone of its country (the capital's where a country has
     * several), else the sequence's default, else UTC. Answers the zone and where it came from.
     */
    public static Zone zoneOf(String leadZone, String country, String sequenceDefault) {
        if (leadZone != null && SequenceValidator.validZone(leadZone)) {
            return new Zone(ZoneId.of(leadZone), "lead");
        }
        if (country != null) {
            String zone = COUNTRY_ZONES.get(country.toUpperCase(Locale.ROOT));
            if (zone != null) {
                return new Zone(ZoneId.of(zone), "country " + country.toUpperCase(Locale.ROOT));
            }
        }
        if (sequenceDefault != null && SequenceValidator.validZone(sequenceDefault)) {
            return new Zone(ZoneId.of(sequenceDefault), "sequence default");
        }
        return new Zone(ZoneOffset.UTC, "UTC");
    }

    public record Zone(ZoneId id, String source) {
    }

    /** The next moment strictly after {@code now} that is the given weekday and local time in the zone. */
    public static Instant nextWeekdayTime(Instant now, ZoneId zone, DayOfWeek day, LocalTime time) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime candidate = local.with(TemporalAdjusters.nextOrSame(day)).with(time);
        if (!candidate.toInstant().isAfter(now)) {
            candidate = local.with(TemporalAdjusters.next(day)).with(time);
        }
        return candidate.toInstant();
    }

    /** {@code at} if it lies inside the window (local days and hours in the zone), else the window's next opening. */
    public static Instant nextSlot(Instant at, ZoneId zone, SendWindow window) {
        if (window == null) {
            return at;
        }
        Set<DayOfWeek> days = days(window);
        LocalTime from = LocalTime.parse(window.from());
        LocalTime to = LocalTime.parse(window.to());
        ZonedDateTime local = at.atZone(zone);
        for (int i = 0; i < 8; i++) {
            ZonedDateTime day = local.plusDays(i);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            ZonedDateTime open = day.with(from);
            ZonedDateTime close = day.with(to);
            if (i == 0) {
                if (!local.isBefore(open) && local.isBefore(close)) {
                    return at;
                }
                if (local.isBefore(open)) {
                    return open.toInstant();
                }
                continue;
            }
            return open.toInstant();
        }
        throw new DateTimeException("send window has no open day");
    }

    private static Set<DayOfWeek> days(SendWindow window) {
        if (window.days() == null || window.days().isEmpty()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        window.days().forEach(d -> days.add(DayOfWeek.valueOf(d)));
        return days;
    }

    /** ISO 3166 country → the IANA zone of its capital (enough for a fallback; the lead's own zone wins). */
    static final Map<String, String> COUNTRY_ZONES = Map.ofEntries(
            Map.entry("DE", "Europe/Berlin"), Map.entry("AT", "Europe/Vienna"), Map.entry("CH", "Europe/Zurich"),
            Map.entry("FR", "Europe/Paris"), Map.entry("IT", "Europe/Rome"), Map.entry("ES", "Europe/Madrid"),
            Map.entry("PT", "Europe/Lisbon"), Map.entry("NL", "Europe/Amsterdam"), Map.entry("BE", "Europe/Brussels"),
            Map.entry("LU", "Europe/Luxembourg"), Map.entry("GB", "Europe/London"), Map.entry("IE", "Europe/Dublin"),
            Map.entry("DK", "Europe/Copenhagen"), Map.entry("SE", "Europe/Stockholm"), Map.entry("NO", "Europe/Oslo"),
            Map.entry("FI", "Europe/Helsinki"), Map.entry("PL", "Europe/Warsaw"), Map.entry("CZ", "Europe/Prague"),
            Map.entry("SK", "Europe/Bratislava"), Map.entry("HU", "Europe/Budapest"), Map.entry("RO", "Europe/Bucharest"),
            Map.entry("BG", "Europe/Sofia"), Map.entry("GR", "Europe/Athens"), Map.entry("TR", "Europe/Istanbul"),
            Map.entry("UA", "Europe/Kyiv"), Map.entry("EE", "Europe/Tallinn"), Map.entry("LV", "Europe/Riga"),
            Map.entry("LT", "Europe/Vilnius"), Map.entry("SI", "Europe/Ljubljana"), Map.entry("HR", "Europe/Zagreb"),
            Map.entry("RS", "Europe/Belgrade"), Map.entry("IS", "Atlantic/Reykjavik"), Map.entry("US", "America/New_York"),
            Map.entry("CA", "America/Toronto"), Map.entry("MX", "America/Mexico_City"), Map.entry("BR", "America/Sao_Paulo"),
            Map.entry("AR", "America/Argentina/Buenos_Aires"), Map.entry("CL", "America/Santiago"), Map.entry("CO", "America/Bogota"),
            Map.entry("PE", "America/Lima"), Map.entry("IN", "Asia/Kolkata"), Map.entry("CN", "Asia/Shanghai"),
            Map.entry("JP", "Asia/Tokyo"), Map.entry("KR", "Asia/Seoul"), Map.entry("SG", "Asia/Singapore"),
            Map.entry("HK", "Asia/Hong_Kong"), Map.entry("TW", "Asia/Taipei"), Map.entry("TH", "Asia/Bangkok"),
            Map.entry("VN", "Asia/Ho_Chi_Minh"), Map.entry("ID", "Asia/Jakarta"), Map.entry("MY", "Asia/Kuala_Lumpur"),
            Map.entry("PH", "Asia/Manila"), Map.entry("AE", "Asia/Dubai"), Map.entry("SA", "Asia/Riyadh"),
            Map.entry("IL", "Asia/Jerusalem"), Map.entry("AU", "Australia/Sydney"), Map.entry("NZ", "Pacific/Auckland"),
            Map.entry("ZA", "Africa/Johannesburg"), Map.entry("EG", "Africa/Cairo"), Map.entry("NG", "Africa/Lagos"),
            Map.entry("KE", "Africa/Nairobi"), Map.entry("MA", "Africa/Casablanca"), Map.entry("RU", "Europe/Moscow"));
}
