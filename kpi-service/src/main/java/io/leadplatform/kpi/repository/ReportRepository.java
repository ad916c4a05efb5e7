package io.leadplatform.kpi.repository;

import io.leadplatform.kpi.domain.Grain;
import io.leadplatform.kpi.service.Reports.Filters;
import io.leadplatform.kpi.service.engine.RollupTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads the rollup tables: sums over a day range with filters, grouped as asked. */
@ApplicationScoped
public class ReportRepository {

    private final Pool pool;

    public ReportRepository(Pool pool) {
        this.pool = pool;
    }

    /** A statement with its parameters, built from the day range and the filters that apply. */
    public static final class Query {
        private final StringBuilder where = new StringBuilder(" where day between $1 and $2");
        private final Tuple params;

        public Query(LocalDate from, LocalDate to) {
            params = Tuple.of(from, to);
        }

        /** Adds {@code column = value} unless value is null. */
        public Query eq(String column, Object value) {
            if (value != null) {
                params.addValue(value);
                where.append(" and ").append(column).append(" = $").append(params.size());
            }
            return this;
        }

        public Query leadFilters(Filters f) {
            return eq("channel", f.channel()).eq("source", f.source()).eq("campaign", f.campaign()).eq("partner", f.partner()).eq("form", f.form());
        }

        /**
         * The filters of a slice table (see {@code RollupTable#base}): channel and campaign as asked; one not asked
         * for reads the '*' rows, unless the statement groups by it ({@code byChannel}, {@code byCampaign}): then
         * every row but '*'.
         */
        public Query slice(Filters f, boolean byChannel, boolean byCampaign) {
            return any("channel", f.channel(), byChannel).any("campaign", f.campaign(), byCampaign);
        }

        private Query any(String column, String value, boolean grouped) {
            if (value != null) {
                return eq(column, value);
            }
            where.append(" and ").append(column).append(grouped ? " <> '" : " = '").append(RollupTable.ANY).append('\'');
            return this;
        }

        public String where() {
            return where.toString();
        }

        public Tuple params() {
            return params;
        }
    }

    public static String bucket(Grain grain) {
        return "date_trunc('" + grain.id() + "', day)::date";
    }

    public <T> Uni<List<T>> list(String select, Query q, String tail, Function<Row, T> mapper) {
        return pool.preparedQuery(select + q.where() + (tail == null ? "" : " " + tail)).execute(q.params()).map(rows -> {
            List<T> list = new ArrayList<>();
            rows.forEach(r -> list.add(mapper.apply(r)));
            return list;
        });
    }

    /** Visitors per bucket of a grain between two bucket starts, under a channel and campaign ('*' = any). */
    public Uni<List<Row>> visitors(Grain grain, LocalDate from, LocalDate to, String channel, String campaign, boolean perChannel) {
        String sql = perChannel
                ? "select channel, sum(visitors) from website_visitors where grain = $1 and period between $2 and $3 and channel <> '*' and campaign = $4 group by channel"
                : "select period, visitors from website_visitors where grain = $1 and period between $2 and $3 and channel = $4 and campaign = $5";
        Tuple params = perChannel ? Tuple.of(grain.code, from, to, campaign) : Tuple.of(grain.code, from, to, channel, campaign);
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            return list;
        });
    }

    public Uni<List<Row>> raw(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            return list;
        });
    }
}
