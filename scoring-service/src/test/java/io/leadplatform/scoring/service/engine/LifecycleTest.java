package io.leadplatform.scoring.service.engine;

import io.leadplatform.scoring.domain.Stage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.leadplatform.scoring.domain.Stage.CUSTOMER;
import static io.leadplatform.scoring.domain.Stage.DISQUALIFIED;
import static io.leadplatform.scoring.domain.Stage.LEAD;
import static io.leadplatform.scoring.domain.Stage.MQL;
import static io.leadplatform.scoring.domain.Stage.OPPORTUNITY;
import static io.leadplatform.scoring.domain.Stage.RECYCLED;
import static io.leadplatform.scoring.domain.Stage.SQL;
import static io.leadplatform.scoring.domain.Stage.SUBSCRIBER;
import static io.leadplatform.scoring.domain.Stage.VISITOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest {

    /** The complete table of legal moves; everything else must be refused. */
    private static final Map<Stage, Set<Stage>> LEGAL = Map.of(
            VISITOR, EnumSet.of(SUBSCRIBER, LEAD, DISQUALIFIED),
            SUBSCRIBER, EnumSet.of(LEAD, DISQUALIFIED),
            LEAD, EnumSet.of(MQL, RECYCLED, DISQUALIFIED),
            MQL, EnumSet.of(SQL, RECYCLED, DISQUALIFIED),
            SQL, EnumSet.of(OPPORTUNITY, RECYCLED, DISQUALIFIED),
            OPPORTUNITY, EnumSet.of(CUSTOMER, RECYCLED, DISQUALIFIED),
            RECYCLED, EnumSet.of(MQL, DISQUALIFIED),
            CUSTOMER, EnumSet.noneOf(Stage.class),
            DISQUALIFIED, EnumSet.noneOf(Stage.class));

    @Test
    void everyPairIsAllowedExactlyWhenTheTableSaysSo() {
        List<String> wrong = new ArrayList<>();
        int legal = 0;
        int illegal = 0;
        for (Stage from : Stage.values()) {
            for (Stage to : Stage.values()) {
                boolean expected = LEGAL.get(from).contains(to);
                if (Lifecycle.allowed(from, to) != expected) {
                    wrong.add(from + "->" + to);
                }
                if (expected) {
                    legal++;
                    assertNull(Lifecycle.check(from, to));
                } else {
                    illegal++;
                    assertNotNull(Lifecycle.check(from, to), from + "->" + to);
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(19, legal);
        assertEquals(62, illegal);
    }

    @Test
    void aNewLeadEntersOnlyAtTheTop() {
        assertTrue(Lifecycle.allowed(null, LEAD));
        assertTrue(Lifecycle.allowed(null, VISITOR));
        assertTrue(Lifecycle.allowed(null, SUBSCRIBER));
        assertFalse(Lifecycle.allowed(null, MQL));
        assertFalse(Lifecycle.allowed(null, CUSTOMER));
        assertFalse(Lifecycle.allowed(LEAD, null));
    }

    @Test
    void refusalsSayWhy() {
        assertEquals("a lead cannot move from LEAD to SQL; allowed next: [MQL, RECYCLED, DISQUALIFIED]", Lifecycle.check(LEAD, SQL));
        assertEquals("the lead is already MQL", Lifecycle.check(MQL, MQL));
        assertEquals("a lead cannot move from CUSTOMER to RECYCLED: CUSTOMER is final", Lifecycle.check(CUSTOMER, RECYCLED));
        assertEquals("a lead cannot move from no stage to SQL; allowed next: [VISITOR, SUBSCRIBER, LEAD]", Lifecycle.check(null, SQL));
    }
}
