-- A run of many month chunks records the last day it committed, in the chunk's own transaction,
-- so that the same command, run again after a crash, goes on from the day after.
alter table webstats_ingest_runs add column if not exists done_through date;
