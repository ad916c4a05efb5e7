-- the lead's IANA time zone (sent by the browser with forms; nurturing's send windows follow it)
alter table lead add column time_zone text;
