-- Import jobs survive a restart (issue 13): the replica running a job refreshes heartbeat_at; a job whose
-- owner stopped refreshing it is claimed by a replica that holds its file and resumes after rows_read.
alter table import_job
    add column owner        text,
    add column heartbeat_at timestamptz;
