package io.leadplatform.capture.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Small helpers of the repositories: timestamptz values, one row or a list of rows mapped. */
final class Sql {

    private Sql() {
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** Parameters that may be null (Tuple.of takes at most a few, Tuple.from a list with nulls). */
    static Tuple params(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }

    static <T> Uni<List<T>> list(SqlClient c, String sql, Tuple params, Function<Row, T> mapper) {
        return c.preparedQuery(sql).execute(params).map(rows -> all(rows, mapper));
    }

    static <T> Uni<T> one(SqlClient c, String sql, Tuple params, Function<Row, T> mapper) {
        return c.preparedQuery(sql).execute(params).map(rows -> rows.size() == 0 ? null : mapper.apply(rows.iterator().next()));
    }

    static Uni<Integer> update(SqlClient c, String sql, Tuple params) {
        return c.preparedQuery(sql).execute(params).map(RowSet::rowCount);
    }

    static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(mapper.apply(row));
        }
        return list;
    }
}
