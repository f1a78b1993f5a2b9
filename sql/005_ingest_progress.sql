-- A run of many month chunks records the last day it committed, in the chunk's own transaction,
-- so that the same command, run again after a crash, goes on from the day after.
alter table webstats_ingest_runs add column if not exists done_through date;
-- A rows file is first copied whole into a stage table of its run; the file's size and mtime
-- tell a later run whether that stage still holds this very file.
alter table webstats_ingest_runs add column if not exists source_version text;
