-- lead.merged honoured: a merged lead's activities and stage history are re-keyed onto the survivor (merged_from
-- keeps where they came from, so an undo moves exactly those back), and its score row is marked merged_into
-- (no longer scored, swept or counted). lead_merge records each merge's state: a redelivered or repeated merge
-- event changes nothing.
create table lead_merge (
    merge_id    uuid primary key,
    lead_id     uuid        not null,
    survivor_id uuid        not null,
    merged_at   timestamptz not null,
    undone      boolean     not null
);
create index lead_merge_lead on lead_merge (lead_id) where not undone;

alter table lead_score add column merged_into uuid;
alter table lead_activity add column merged_from uuid;
alter table stage_transition add column merged_from uuid;
create index lead_activity_merged_from on lead_activity (merged_from) where merged_from is not null;
create index stage_transition_merged_from on stage_transition (merged_from) where merged_from is not null;
