package io.leadplatform.kpi.domain;

/** The dimensions a lead is reported under, from its capture ('' = none). */
public record Dims(String channel, String source, String campaign, String partner, String form) {

    public static final Dims NONE = new Dims("", "", "", "", "");

    public Dims {
        channel = channel == null ? "" : channel;
        source = source == null ? "" : source;
        campaign = campaign == null ? "" : campaign;
        partner = partner == null ? "" : partner;
        form = form == null ? "" : form;
    }
}
