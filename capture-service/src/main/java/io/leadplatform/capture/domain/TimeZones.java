package io.leadplatform.capture.domain;

import java.time.ZoneId;
import java.util.Set;

/**
 * IANA time zone ids as browsers report them ({@code Intl.DateTimeFormat().resolvedOptions().timeZone}):
 * a region id of the JVM's tz database such as {@code Europe/Berlin}, {@code America/Argentina/Buenos_Aires},
 * {@code UTC} or {@code Etc/GMT+5}. Fixed offsets ({@code +02:00}) are not region ids and are not accepted.
 * Pure logic.
 */
public final class TimeZones {

    private static final Set<String> IDS = ZoneId.getAvailableZoneIds();

    private TimeZones() {
    }

    public static boolean isIana(String id) {
        return id != null && IDS.contains(id);
    }
}
