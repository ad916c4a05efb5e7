package io.leadplatform.common.persistence;

import io.vertx.mutiny.sqlclient.Tuple;

import java.lang.reflect.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The parameters of a multi-row statement written as {@code insert … select … from unnest($1::uuid[],
 * $2::text[], …)}: one array per column, in the order the columns are added, each read from every row.
 * Instants become {@code timestamptz} values (UTC); nulls stay null.
 */
public final class Columns<T> {

    private final List<T> rows;
    private final Tuple tuple = Tuple.tuple();

    private Columns(List<T> rows) {
        this.rows = rows;
    }

    public static <T> Columns<T> of(List<T> rows) {
        return new Columns<>(rows);
    }

    public Columns<T> uuid(Function<T, UUID> column) {
        return add(UUID.class, column);
    }

    public Columns<T> text(Function<T, String> column) {
        return add(String.class, column);
    }

    public Columns<T> bool(Function<T, Boolean> column) {
        return add(Boolean.class, column);
    }

    public Columns<T> integer(Function<T, Integer> column) {
        return add(Integer.class, column);
    }

    public Columns<T> bigint(Function<T, Long> column) {
        return add(Long.class, column);
    }

    public Columns<T> real(Function<T, Double> column) {
        return add(Double.class, column);
    }

    public Columns<T> time(Function<T, Instant> column) {
        return add(OffsetDateTime.class, row -> {
            Instant instant = column.apply(row);
            return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
        });
    }

    /** The columns as statement parameters, $1 … $n. */
    public Tuple tuple() {
        return tuple;
    }

    private <V> Columns<T> add(Class<V> type, Function<T, V> column) {
        @SuppressWarnings("unchecked")
        V[] values = (V[]) Array.newInstance(type, rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        tuple.addValue(values);
        return this;
    }
}
