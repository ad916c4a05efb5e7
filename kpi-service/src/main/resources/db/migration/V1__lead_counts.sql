-- leads captured per channel per day (UTC), fed by lead.captured
create table lead_count_daily (
    day     date   not null,
    channel text   not null,
    leads   bigint not null,
    primary key (day, channel)
);
