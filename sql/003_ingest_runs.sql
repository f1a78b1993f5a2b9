-- A record of every ingest run, whatever its outcome (webstats status prints the latest).
create table if not exists webstats_ingest_runs (
    id serial primary key,
    source text not null,
    first_date date,
    last_date date,
    files integer not null default 0,
    lines bigint not null default 0,
    rows_kept bigint not null default 0,
    bad_lines bigint not null default 0,
    skipped_files text not null default '', -- one per line
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    outcome varchar(16) not null default 'running',
    message text
);
