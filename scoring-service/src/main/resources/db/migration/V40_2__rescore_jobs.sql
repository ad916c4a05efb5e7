-- Rescoring after a model activation as a durable job shared by the replicas (service.RescoreJobs).
-- The activation records the job and its chunks in its own transaction: the leads (not merged) in lead id order,
-- cut into ranges of chunk_size leads; the first range starts at the smallest uuid and the last one has no end,
-- so a lead created later falls into some range too. Workers claim a chunk (for update skip locked) with a lease,
-- rescore its range in one transaction and mark it done; a chunk whose lease ran out is claimed again.
create table rescore_job (
    id            uuid primary key,
    model_id      uuid        not null references scoring_model (id),
    state         text        not null check (state in ('running', 'done', 'superseded')),
    chunk_size    integer     not null,
    created_at    timestamptz not null,
    finished_at   timestamptz,
    superseded_by uuid references scoring_model (id)
);
create index rescore_job_model on rescore_job (model_id, created_at desc);
create index rescore_job_running on rescore_job (created_at) where state = 'running';

create table rescore_chunk (
    job_id      uuid        not null references rescore_job (id),
    chunk_no    integer     not null,
    from_lead   uuid        not null,   -- inclusive
    to_lead     uuid,                   -- exclusive; null: no upper end
    planned     integer     not null,   -- leads in the range when the job was recorded
    state       text        not null check (state in ('pending', 'claimed', 'done', 'cancelled')),
    owner       text,
    lease_until timestamptz,
    attempts    integer     not null default 0,
    rescored    integer     not null default 0,   -- leads rescored under the job's model
    skipped     integer     not null default 0,   -- leads already scored by the job's model (nothing written)
    finished_at timestamptz,
    primary key (job_id, chunk_no)
);
create index rescore_chunk_open on rescore_chunk (job_id, chunk_no) where state in ('pending', 'claimed');

-- A rescoring the previous version left running (its progress lived in scoring_model.rescore_*): it becomes a job
-- over every lead (a lead already on the model is skipped, so restarting it from the first lead costs reads only).
insert into rescore_job (id, model_id, state, chunk_size, created_at)
select gen_random_uuid(), id, 'running', 500, now() from scoring_model where active and rescore_state = 'running';

with ranked as (
    select lead_id, row_number() over (order by lead_id) as rn, count(*) over () as total
    from lead_score where merged_into is null
)
insert into rescore_chunk (job_id, chunk_no, from_lead, to_lead, planned, state)
select j.id, ((b.rn - 1) / 500)::int,
       case when b.rn = 1 then '00000000-0000-0000-0000-000000000000'::uuid else b.lead_id end,
       lead(b.lead_id) over (order by b.rn), least(500, b.total - b.rn + 1)::int, 'pending'
from rescore_job j cross join ranked b
where j.state = 'running' and (b.rn - 1) % 500 = 0;

update rescore_job j set state = 'done', finished_at = now()
where state = 'running' and not exists (select 1 from rescore_chunk c where c.job_id = j.id);

-- scoring_model.rescore_total / rescore_done / rescore_state are no longer read or written (rescore_job is the
-- record); 'running' is closed here so that a replica of the previous version stops its in-memory rounds.
update scoring_model set rescore_state = 'done', rescore_done = rescore_total where rescore_state = 'running';
