-- A measurement, not part of webstats: the IP-set work of a late-year night under the month-keyed
-- design ("What a nightly's upserts cost" in the README), on the bench:scale database of 2025 after
-- its summarize. The night is 2025-12-31; the month's set holds December 1..30, the year's set the
-- pairs seen before that night (existence only: written only for pairs new to the year).
--   psql -d webstats_scale_y1_p300000 -f scripts/month-keyed-prototype.sql          # setup, ~5 min
--   psql -d webstats_scale_y1_p300000 -v night=1 -f scripts/month-keyed-prototype.sql  # a night, rolled back
--   add -v month_start=1 for the month's first night (the month's sets empty)
-- Left out: the flips' sums into stats (as today), the filtered counts' flags, the 30-day window.
\timing on
\if :{?night}
checkpoint;
select pg_current_wal_lsn() as l0 \gset
begin;
set local work_mem = '256MB';
\if :{?month_start}
truncate proto_m, proto_cm;
\endif
create temp table nm on commit drop as with up as (
  insert into proto_m as m (package, category, ip, d, last_date) select package, category, ip, d, '2025-12-31' from proto_day order by 1, 2, 3
  on conflict (package, category, ip) do update set d = m.d + excluded.d, last_date = excluded.last_date
  returning m.package, m.category, m.ip, (xmax = 0) as new_to_month) select * from up;
create temp table ny on commit drop as with ins as (
  insert into proto_y (package, category, ip) select package, category, ip from nm where new_to_month order by 1, 2, 3
  on conflict do nothing returning package) select * from ins;
create temp table cnm on commit drop as with up as (
  insert into proto_cm as m (category, ip, d) select category, ip, d from proto_cday order by 1, 2
  on conflict (category, ip) do update set d = m.d + excluded.d returning m.category, m.ip, (xmax = 0) as new_to_month) select * from up;
create temp table cny on commit drop as with ins as (
  insert into proto_cy (category, ip) select category, ip from cnm where new_to_month order by 1, 2
  on conflict do nothing returning ip) select * from ins;
select (select count(*) from nm) as pairs, (select count(*) filter (where new_to_month) from nm) as new_to_month,
  (select count(*) from ny) as new_to_year, (select count(*) from cnm) as category_pairs,
  (select count(*) filter (where new_to_month) from cnm) as category_new_to_month, (select count(*) from cny) as category_new_to_year;
rollback;
select round(pg_wal_lsn_diff(pg_current_wal_lsn(), :'l0') / 1e6) as wal_mb;
\else
set work_mem = '256MB';
drop table if exists proto_y, proto_cy, proto_m, proto_cm, proto_day, proto_cday;
create table proto_day as select package, category, "c-ip" as ip, count(*)::int as d from bioc_web_downloads
  where date = '2025-12-31' and "sc-status" in (200, 301, 302, 307, 308) group by 1, 2, 3;
create table proto_cday as select d.category, d.ip, sum(d.d)::int as d from proto_day d join packages p using (package, category) group by 1, 2;
-- The year's pairs before the night: the sets' rows less those the night alone holds.
create table proto_y (package varchar(64) collate "C" not null, category varchar(16) collate "C" not null, ip varchar(40) collate "C" not null,
  primary key (package, category, ip));
insert into proto_y select y.package, y.category, y.ip from webstats_year_ips y left join proto_day n using (package, category, ip)
  where y.year = 2025 and not (y.d1 + y.d2 + y.d3 + y.d4 + y.d5 + y.d6 + y.d7 + y.d8 + y.d9 + y.d10 + y.d11 = 0 and y.d12 = coalesce(n.d, 0))
  order by 1, 2, 3;
create table proto_cy (category varchar(16) collate "C" not null, ip varchar(40) collate "C" not null, primary key (category, ip));
insert into proto_cy select y.category, y.ip from webstats_category_year_ips y left join proto_cday n using (category, ip)
  where y.year = 2025 and not (y.d1 + y.d2 + y.d3 + y.d4 + y.d5 + y.d6 + y.d7 + y.d8 + y.d9 + y.d10 + y.d11 = 0 and y.d12 = coalesce(n.d, 0))
  order by 1, 2;
-- The month's sets: December 1..30.
create table proto_m (package varchar(64) collate "C" not null, category varchar(16) collate "C" not null, ip varchar(40) collate "C" not null,
  d integer not null, last_date date not null, primary key (package, category, ip)) with (fillfactor = 90);
insert into proto_m select package, category, "c-ip", count(*), max(date) from bioc_web_downloads
  where date between '2025-12-01' and '2025-12-30' and "sc-status" in (200, 301, 302, 307, 308) group by 1, 2, 3 order by 1, 2, 3;
create table proto_cm (category varchar(16) collate "C" not null, ip varchar(40) collate "C" not null, d integer not null,
  primary key (category, ip)) with (fillfactor = 90);
insert into proto_cm select d.category, d."c-ip", count(*) from bioc_web_downloads d join packages p using (package, category)
  where d.date between '2025-12-01' and '2025-12-30' and d."sc-status" in (200, 301, 302, 307, 308) group by 1, 2 order by 1, 2;
vacuum analyze proto_y, proto_cy, proto_m, proto_cm, proto_day, proto_cday;
select relname, pg_size_pretty(pg_total_relation_size(oid)) as size, reltuples::bigint as rows from pg_class
  where relname in ('proto_y', 'proto_cy', 'proto_m', 'proto_cm', 'proto_day', 'proto_cday') order by 1;
\endif
