-- Ingest replaces whole days and re-summarises whole months and years: both select
-- bioc_web_downloads by date range. (The legacy database has this index under this name.)
create index if not exists idx_bioc_web_downloads_date on bioc_web_downloads (date);
