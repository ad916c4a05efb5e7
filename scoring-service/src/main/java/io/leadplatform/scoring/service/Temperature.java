package io.leadplatform.scoring.service;

/** Engagement points to temperature: hot from 50, warm from 20, else cold. */
public final class Temperature {

    private Temperature() {
    }

    public static String of(double engagement) {
        if (engagement >= 50) {
            return "hot";
        }
        return engagement >= 20 ? "warm" : "cold";
    }
}
