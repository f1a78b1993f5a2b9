-- The last 30 days' distinct IPs from the IP sets themselves: each (year, package, category, IP)
-- row keeps the last day it was seen that year (last_date; exact whenever it falls in the last 30
-- days) and, for the upsert's RETURNING, the one before its last change (previous_last_date).
-- webstats_recent_days counts per package and day of the window the pairs last seen that day, so
-- that the day leaving the window says how many pairs leave with it. The upsert a nightly makes
-- anyway moves each pair's day; the per-pair table of the window (webstats_recent_ips, one more
-- upsert per pair and day) is gone.
alter table webstats_year_ips add column if not exists last_date date;
alter table webstats_year_ips add column if not exists previous_last_date date;

create table if not exists webstats_recent_days (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    date date not null,
    pairs integer not null,
    constraint webstats_recent_days_pkey primary key (package, category, date)
);

drop table if exists webstats_recent_ips;

-- Made again from the window's raw rows by the next ingest (or summarize).
update webstats_info set value = '' where key = 'RecentThru';
