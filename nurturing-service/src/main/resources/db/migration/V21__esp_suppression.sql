-- addresses an ESP reported as hard bounced or complained: never mailed again
create table esp_suppression (
    email       text primary key,               -- lower case
    reason      text        not null,           -- hard-bounce | complaint
    detail      text,
    webhook_id  text        not null,
    created_at  timestamptz not null
);
