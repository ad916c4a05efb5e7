package io.leadplatform.kpi.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.List;

/** The daily lead counts per channel. */
@ApplicationScoped
public class LeadCountRepository {

    /** Adds one lead to the day's count of the channel (inside the consumer's transaction). */
    public Uni<Void> increment(LocalDate day, String channel) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into lead_count_daily (day, channel, leads) values (:day, :channel, 1)
                        on conflict (day, channel) do update set leads = lead_count_daily.leads + 1""")
                .setParameter("day", day)
                .setParameter("channel", channel)
                .executeUpdate()).replaceWithVoid();
    }

    public Uni<List<DailyCount>> between(LocalDate from, LocalDate to, String channel) {
        String sql = "select day, channel, leads from lead_count_daily where day >= :from and day <= :to"
                + (channel != null ? " and channel = :channel" : "") + " order by day, channel";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class).setParameter("from", from).setParameter("to", to);
            if (channel != null) {
                query.setParameter("channel", channel);
            }
            return query.getResultList();
        }).map(rows -> rows.stream()
                .map(r -> new DailyCount(toDate(r[0]), (String) r[1], ((Number) r[2]).longValue()))
                .toList());
    }

    private static LocalDate toDate(Object value) {
        return value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    public record DailyCount(LocalDate day, String channel, long leads) {
    }
}
