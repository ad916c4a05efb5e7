package io.leadplatform.scoring.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FitScoringTest {

    @Test
    void completeBusinessProfileIsGradeA() {
        var result = FitScoring.score(Map.of("email", "ann@acme.com", "company", "Acme", "jobTitle", "CMO",
                "phone", "+49 30 1234", "country", "DE"));
        assertEquals(40, result.fit());
        assertEquals("A", result.grade());
        assertEquals(5, result.contributions().size());
    }

    @Test
    void freeMailWithoutProfileIsGradeF() {
        var result = FitScoring.score(Map.of("email", "someone@gmail.com"));
        assertEquals(0, result.fit());
        assertEquals("F", result.grade());
        assertEquals(0, result.contributions().size());
    }

    @Test
    void blankFieldsDoNotCount() {
        var result = FitScoring.score(Map.of("email", "x@gmail.com", "company", "  ", "country", "FR"));
        assertEquals(5, result.fit());
        assertEquals("E", result.grade());
    }

    @Test
    void gradeBands() {
        assertEquals("A", FitScoring.grade(35));
        assertEquals("B", FitScoring.grade(34));
        assertEquals("B", FitScoring.grade(25));
        assertEquals("C", FitScoring.grade(15));
        assertEquals("D", FitScoring.grade(10));
        assertEquals("E", FitScoring.grade(5));
        assertEquals("F", FitScoring.grade(4));
        assertEquals("F", FitScoring.grade(-10));
    }

    @Test
    void temperatureBands() {
        assertEquals("cold", Temperature.of(0));
        assertEquals("warm", Temperature.of(20));
        assertEquals("hot", Temperature.of(50));
    }
}
