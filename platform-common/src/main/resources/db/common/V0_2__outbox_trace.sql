-- Shared by every service (platform-common): the W3C trace context of the request or consumed event that
-- wrote an outbox event, so the relay's Kafka record continues that trace (OutboxTracing). Null when no
-- span was current. Nullable columns without default: no table rewrite.
--
-- Versions 0.x belong to platform-common (db/common), services number their own from 1 up
-- (db/migration): no clash. On a database that already has a service's migrations, 0.2 is applied
-- out of order (quarkus.flyway.out-of-order=true in META-INF/microprofile-config.properties).
alter table outbox_event
    add column traceparent text,
    add column tracestate  text;
