-- pgbench script of bench/capture/run.sh: one single-row INSERT per transaction into lead_bench
-- (jsonb column, unique index on lower(email)); the e-mail is unique per client and random draw.
\set r random(1, 1000000000000000)
insert into lead_bench (email, payload) values ('c' || :client_id || '-' || :r || '@bench.example.com', '{"firstName":"B","company":"Bench Co","utm":{"source":"bench"}}');
