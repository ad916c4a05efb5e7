package io.leadplatform.kpi.repository;

import io.leadplatform.kpi.domain.CampaignCost;
import io.leadplatform.kpi.domain.ExchangeRate;
import io.leadplatform.kpi.domain.PartnerPrice;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Campaign costs, exchange rates and partner prices (entered through the API). */
@ApplicationScoped
public class MoneyRepository {

    private static final String COST_COLUMNS = "id, channel, campaign, period_from, period_to, amount::text, currency, created_at";

    private final Pool pool;

    public MoneyRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insertCost(CampaignCost c) {
        return pool.preparedQuery("insert into campaign_cost (" + COST_COLUMNS.replace("::text", "")
                        + ") values ($1, $2, $3, $4, $5, $6::text::numeric, $7, $8)")
                .execute(Tuple.from(List.of(c.id(), c.channel(), c.campaign(), c.periodFrom(), c.periodTo(), c.amount().toPlainString(),
                        c.currency(), c.createdAt().atOffset(ZoneOffset.UTC)))).replaceWithVoid();
    }

    /** Costs whose period overlaps [from, to]. */
    public Uni<List<CampaignCost>> costs(LocalDate from, LocalDate to) {
        return pool.preparedQuery("select " + COST_COLUMNS + " from campaign_cost where period_from <= $2 and period_to >= $1 order by period_from, id")
                .execute(Tuple.of(from, to)).map(rows -> {
                    List<CampaignCost> list = new ArrayList<>();
                    rows.forEach(r -> list.add(cost(r)));
                    return list;
                });
    }

    private static CampaignCost cost(Row r) {
        return new CampaignCost(r.getUUID(0), r.getString(1), r.getString(2), r.getLocalDate(3), r.getLocalDate(4),
                new BigDecimal(r.getString(5)), r.getString(6), r.getOffsetDateTime(7).toInstant());
    }

    public Uni<Boolean> deleteCost(UUID id) {
        return pool.preparedQuery("delete from campaign_cost where id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Void> putRate(ExchangeRate rate) {
        return pool.preparedQuery("""
                        insert into exchange_rate (currency, month, rate) values ($1, $2, $3::text::numeric)
                        on conflict (currency, month) do update set rate = excluded.rate""")
                .execute(Tuple.of(rate.currency(), rate.month(), rate.rate().toPlainString())).replaceWithVoid();
    }

    public Uni<List<ExchangeRate>> rates() {
        return pool.query("select currency, month, rate::text from exchange_rate order by currency, month").execute().map(rows -> {
            List<ExchangeRate> list = new ArrayList<>();
            rows.forEach(r -> list.add(new ExchangeRate(r.getString(0), r.getLocalDate(1), new BigDecimal(r.getString(2)))));
            return list;
        });
    }

    public Uni<Void> putPrice(PartnerPrice p) {
        return pool.preparedQuery("""
                        insert into partner_price (partner, price_per_lead, currency, credit_window_days) values ($1, $2::text::numeric, $3, $4)
                        on conflict (partner) do update set price_per_lead = excluded.price_per_lead, currency = excluded.currency,
                            credit_window_days = excluded.credit_window_days""")
                .execute(Tuple.of(p.partner(), p.pricePerLead().toPlainString(), p.currency(), p.creditWindowDays())).replaceWithVoid();
    }

    public Uni<List<PartnerPrice>> prices() {
        return pool.query("select partner, price_per_lead::text, currency, credit_window_days from partner_price order by partner").execute()
                .map(rows -> {
                    List<PartnerPrice> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new PartnerPrice(r.getString(0), new BigDecimal(r.getString(1)), r.getString(2), r.getInteger(3))));
                    return list;
                });
    }
}
