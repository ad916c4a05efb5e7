-- Fills the rollup tables of an empty kpi database with what ingesting about 10 million events spread over a year
-- produces: the events are generated here as rows (1,000,000 leads with their captures, stage changes, deals and
-- touches; 6,000,000 page views; 3,000,000 e-mail events) and aggregated by the same keys as the ingest's
-- contributions (capture day and dimensions, close day and touch, first-send day and sequence ...).
-- Usage: psql -h 127.0.0.1 -U postgres -d kpi_bench -f bench/kpi/rollups-10m.sql
\timing on
select setseed(0.42);

create temp table g_lead as
select i, day, ch, src, camp,
       case when src = 'webhook' then 'partner-' || (i % 4) else '' end as partner,
       case when src = 'form' then (array['contact', 'register', 'demo', 'whitepaper', 'newsletter'])[1 + i % 5] else '' end as form,
       r1, r2, r3
from (
  select i, date '2025-01-01' + (i % 365) as day,
         (array['organic_search', 'paid', 'social', 'email', 'referral', 'partner', 'direct'])[1 + (i * 7 + i / 365) % 7] as ch,
         (array['form', 'form', 'form', 'webhook', 'import', 'api', 'tracking'])[1 + (i / 7) % 7] as src,
         'campaign-' || ((i / 49) % 12) as camp,
         random() as r1, random() as r2, random() as r3
  from generate_series(1, 1000000) i) x;

insert into lead_rollup (day, channel, source, campaign, partner, form, leads, members, subscribers, mql, sql, opportunity,
                         customers, recycled, disqualified)
select day, ch, src, camp, partner, form, count(*), count(*) filter (where form = 'register'), count(*) filter (where r3 < 0.3),
       count(*) filter (where r1 < 0.30), count(*) filter (where r1 < 0.10), count(*) filter (where r1 < 0.05),
       count(*) filter (where r1 < 0.03), count(*) filter (where r1 between 0.30 and 0.40), count(*) filter (where r1 between 0.40 and 0.45)
from g_lead group by 1, 2, 3, 4, 5, 6;

-- durations: capture -> MQL for 30 %, MQL -> SQL for 10 %, ... in 5 % buckets (bucket = ceil(ln(seconds) / ln(1.05)))
insert into duration_rollup (day, metric, channel, source, campaign, partner, form, bucket, leads)
select day, metric, ch, src, camp, partner, form, ceil(ln(seconds) / ln(1.05))::int, count(*)
from (select day, ch, src, camp, partner, form, 'lead_to_mql' as metric, 3600 + r2 * 20 * 86400 as seconds from g_lead where r1 < 0.30
      union all select day, ch, src, camp, partner, form, 'mql_to_sql', 3600 + r3 * 10 * 86400 from g_lead where r1 < 0.10
      union all select day, ch, src, camp, partner, form, 'sql_to_opportunity', 3600 + r2 * 15 * 86400 from g_lead where r1 < 0.05
      union all select day, ch, src, camp, partner, form, 'opportunity_to_customer', 3600 + r3 * 30 * 86400 from g_lead where r1 < 0.03
      union all select day, ch, src, camp, partner, form, 'lead_to_customer', 86400 * (5 + r2 * 60) from g_lead where r1 < 0.03) d
group by 1, 2, 3, 4, 5, 6, 7, 8;
insert into duration_rollup (day, metric, channel, source, campaign, partner, form, bucket, leads)
select day, 'partner_credit_days', ch, src, camp, partner, form, (r2 * 60)::int, count(*)
from g_lead where src = 'webhook' and r3 < 0.08 group by 1, 2, 3, 4, 5, 6, 7, 8;

insert into deal_rollup (day, channel, source, campaign, partner, form, currency, rate_month, deals, revenue, gross_margin)
select day, ch, src, camp, partner, form, case when i % 10 = 0 then 'USD' else 'EUR' end,
       date_trunc('month', least(day + 30, date '2025-12-31'))::date, count(*), sum(round((1000 + r2 * 9000)::numeric, 2)),
       sum(round((300 + r2 * 3000)::numeric, 2))
from g_lead where r1 < 0.03 group by 1, 2, 3, 4, 5, 6, 7, 8;

-- attribution: each customer's deal shared among 4 touches in every model
insert into attribution_rollup (day, model, channel, campaign, currency, rate_month, customers, revenue)
select least(day + 30, date '2025-12-31'), m, (array['organic_search', 'paid', 'social', 'email', 'referral', 'partner', 'direct'])[1 + (i + t) % 7],
       'campaign-' || ((i + t) % 12), 'EUR', date_trunc('month', least(day + 30, date '2025-12-31'))::date, sum(0.25), sum(round((1000 + r2 * 9000)::numeric / 4, 6))
from g_lead, generate_series(1, 4) t, unnest(array['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based']) m
where r1 < 0.03 group by 1, 2, 3, 4, 5, 6;

-- website: 6,000,000 page views, 2,000,000 sessions of 400,000 visitors (distinct visitors counted over a quarter of the
-- sessions to keep the generation short: the number of website_visitors rows, what the queries read, is the same)
create temp table g_session as
select s, date '2025-01-01' + (s % 365) as day, 'v' || (s::bigint * 7919 % 400000) as visitor,
       (array['organic_search', 'paid', 'social', 'email', 'referral', 'partner', 'direct'])[1 + (s / 365) % 7] as ch,
       case when s % 3 = 0 then '' else 'campaign-' || (s % 12) end as camp
from generate_series(1, 2000000) s;
insert into website_rollup (day, channel, campaign, sessions, page_views, seconds)
select day, ch, camp, count(*), 3 * count(*), sum(40 + s % 200) from g_session group by 1, 2, 3;
insert into website_visitors (grain, period, channel, campaign, visitors)
select grain, period, c, k, count(distinct visitor)
from (select g.grain, case g.grain when 'd' then day when 'w' then date_trunc('week', day)::date when 'm' then date_trunc('month', day)::date
                      else date_trunc('quarter', day)::date end as period, c, k, visitor
      from (select * from g_session where s % 4 = 0) gs, (values ('d'), ('w'), ('m'), ('q')) g(grain), lateral (values (ch), ('*')) cc(c), lateral (values (camp), ('*')) kk(k)) v
group by 1, 2, 3, 4;

-- e-mail: 3,000,000 events over 10 sequences x 5 steps
insert into email_rollup (day, sequence_id, step_id, sent, delivered, opened_human, opened_bot, opened_proxy, clicked_human, clicked_bot,
                          clicked_proxy, unsubscribed, bounced_hard, bounced_soft, complained)
select date '2025-01-01' + (e % 365), 'sequence-' || (e % 10), 'step-' || (e / 10 % 5),
       count(*) filter (where e % 100 < 40), count(*) filter (where e % 100 between 40 and 74),
       count(*) filter (where e % 100 between 75 and 84), count(*) filter (where e % 100 between 85 and 87),
       count(*) filter (where e % 100 between 88 and 91), count(*) filter (where e % 100 between 92 and 95),
       count(*) filter (where e % 100 = 96), 0, count(*) filter (where e % 100 = 97), count(*) filter (where e % 200 = 196),
       count(*) filter (where e % 200 = 198), count(*) filter (where e % 100 = 99)
from generate_series(1, 3000000) e group by 1, 2, 3;
insert into sequence_rollup (day, sequence_id, enrolled, mql, sql)
select date '2025-01-01' + (i % 365), 'sequence-' || (i % 10), count(*), count(*) filter (where r1 < 0.3), count(*) filter (where r1 < 0.1)
from g_lead where r2 < 0.4 group by 1, 2;

insert into campaign_cost (id, channel, campaign, period_from, period_to, amount, currency, created_at)
select gen_random_uuid(), (array['organic_search', 'paid', 'social', 'email', 'referral', 'partner', 'direct'])[1 + c % 7], 'campaign-' || (c % 12),
       date '2025-01-01' + 30 * (c % 12), date '2025-01-01' + 30 * (c % 12) + 29, 1000 + c * 10, 'EUR', now()
from generate_series(0, 83) c;
insert into exchange_rate (currency, month, rate) select 'USD', m::date, 0.9 from generate_series(date '2025-01-01', date '2025-12-01', interval '1 month') m;
insert into partner_price (partner, price_per_lead, currency, credit_window_days) select 'partner-' || p, 15, 'EUR', 30 from generate_series(0, 3) p;
-- the monthly copies and the channel x campaign slices (kpi-service V3, V50_1), from the daily tables as the ingest's deltas would
select kpi_rebuild_derived_rollups();
analyze;
select 'lead_rollup' t, count(*) from lead_rollup union all select 'duration_rollup', count(*) from duration_rollup
union all select 'deal_rollup', count(*) from deal_rollup union all select 'attribution_rollup', count(*) from attribution_rollup
union all select 'website_rollup', count(*) from website_rollup union all select 'website_visitors', count(*) from website_visitors
union all select 'email_rollup', count(*) from email_rollup;
