-- Submissions rejected as spam: counted, never stored as leads; no personal data (no e-mail, no IP)
create table spam_submission (
    id          uuid primary key,
    form_id     uuid        not null references form (id),
    reason      text        not null,
    received_at timestamptz not null
);
create index spam_submission_form on spam_submission (form_id, received_at);
