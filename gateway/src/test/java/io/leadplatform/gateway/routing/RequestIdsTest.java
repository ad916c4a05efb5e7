package io.leadplatform.gateway.routing;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void wellFormedIncomingIdIsKept() {
        assertEquals("lean-1", RequestIds.resolve("lean-1"));
        assertEquals("a.B_9:z-", RequestIds.resolve("a.B_9:z-"));
        String longest = "x".repeat(RequestIds.MAX_LENGTH);
        assertEquals(longest, RequestIds.resolve(longest));
    }

    @Test
    void malformedIncomingIdIsReplaced() {
        for (String bad : new String[] {"", "a b", "a/b", "ä", "id\n", "x".repeat(RequestIds.MAX_LENGTH + 1)}) {
            assertFalse(RequestIds.wellFormed(bad), bad);
            String id = RequestIds.resolve(bad);
            assertNotEquals(bad, id);
            assertEquals(id, UUID.fromString(id).toString());
        }
        assertEquals(36, RequestIds.resolve(null).length());
    }

    @Test
    void generatedIdsAreRandomVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.generate();
            UUID uuid = UUID.fromString(id);
            assertEquals(id, uuid.toString());
            assertEquals(4, uuid.version());
            assertEquals(2, uuid.variant());
            assertTrue(RequestIds.wellFormed(id));
            seen.add(id);
        }
        assertEquals(1000, seen.size());
    }
}
