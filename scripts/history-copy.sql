-- A build's load at N years of history, without N years of raw rows: copies a database's
-- summaries of its first year (the bench's 2025) to the N - 1 years before it, every day number
-- and date shifted by whole years. Only what `build` reads is copied (stats, categorystats, their
-- filtered twins, webstats_daily_packed, webstats_daily_months); the copy is not a database to
-- ingest into. Made for the README's "A build at 15 years of history":
--
--   createdb y15
--   pg_dump --exclude-table-data=bioc_web_downloads --exclude-table-data='webstats_*month_ips' --exclude-table-data='webstats_*year_pairs' \
--     --exclude-table-data='webstats_*year_unfiltered' \
--     --exclude-table-data='scale_bench_*' --exclude-table-data=webstats_daily SOURCE | psql -q y15
--   psql -v years=15 -v first=2025 -f scripts/history-copy.sql y15
\set ON_ERROR_STOP on
begin;
create function pg_temp.shift_days(s text, shift int) returns text language sql immutable as $$
  select coalesce(string_agg(case when i % 3 = 1 then (v::int - shift)::text else v end, ',' order by i), '')
  from unnest(string_to_array(nullif(s, ''), ',')) with ordinality u(v, i) $$;
create temp table shifts as select k, make_interval(years => k) as back from generate_series(1, :years - 1) k;
create temp table first_year as select make_date(:first, 1, 1) as from_day, make_date(:first, 12, 31) as to_day;

insert into webstats_daily_packed (month, package, category, days, packed, filtered_days, filtered)
select m.shifted, package, category, days, pg_temp.shift_days(packed, month - m.shifted), filtered_days, pg_temp.shift_days(filtered, month - m.shifted)
from webstats_daily_packed, shifts, first_year, lateral (select (month - back)::date as shifted) m
where month between from_day and to_day;
insert into webstats_daily_months (month, revision, records)
select (month - back)::date, revision, records from webstats_daily_months, shifts, first_year where month between from_day and to_day;
insert into stats (category, package, date, is_monthly, ip_count, download_count)
select category, package, (date - back)::date, is_monthly, ip_count, download_count from stats, shifts, first_year where date between from_day and to_day;
insert into categorystats (category, date, is_monthly, ip_count, download_count)
select category, (date - back)::date, is_monthly, ip_count, download_count from categorystats, shifts, first_year where date between from_day and to_day;
insert into webstats_filtered_stats (category, package, date, is_monthly, ip_count, download_count)
select category, package, (date - back)::date, is_monthly, ip_count, download_count from webstats_filtered_stats, shifts, first_year where date between from_day and to_day;
insert into webstats_filtered_categorystats (category, date, is_monthly, ip_count, download_count)
select category, (date - back)::date, is_monthly, ip_count, download_count from webstats_filtered_categorystats, shifts, first_year where date between from_day and to_day;
commit;
analyze;
