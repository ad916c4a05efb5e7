package io.leadplatform.capture.service;

import io.smallrye.mutiny.Uni;

import java.util.function.Function;

/** Runs one reactive step per item, one after the other (a Hibernate Reactive session allows one operation at a time). */
final class Sequential {

    private Sequential() {
    }

    static <T> Uni<Void> each(Iterable<T> items, Function<T, Uni<?>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> step.apply(item)).replaceWithVoid();
        }
        return chain;
    }
}
