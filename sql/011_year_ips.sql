-- The IP sets, one row per year and (package, category, IP), or (category, IP), holding the
-- downloads (d1..d12) and the filtered days (f1..f12) of each month, instead of one row per month.
-- A day's change is one upsert per row, and the row it returns holds the whole year: whether the IP
-- appears in or leaves the month, and the year, without a second lookup of the year's other
-- months (which cost as much as the upsert itself). last_delta and last_filtered_delta hold the
-- change the last upsert made, so that its RETURNING, which only sees the row after, also gives
-- the row before (summaries/ip-sets.ts).
set local work_mem = '256MB';

create table if not exists webstats_year_ips (
    year smallint not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    d1 integer not null default 0,
    d2 integer not null default 0,
    d3 integer not null default 0,
    d4 integer not null default 0,
    d5 integer not null default 0,
    d6 integer not null default 0,
    d7 integer not null default 0,
    d8 integer not null default 0,
    d9 integer not null default 0,
    d10 integer not null default 0,
    d11 integer not null default 0,
    d12 integer not null default 0,
    f1 smallint not null default 0,
    f2 smallint not null default 0,
    f3 smallint not null default 0,
    f4 smallint not null default 0,
    f5 smallint not null default 0,
    f6 smallint not null default 0,
    f7 smallint not null default 0,
    f8 smallint not null default 0,
    f9 smallint not null default 0,
    f10 smallint not null default 0,
    f11 smallint not null default 0,
    f12 smallint not null default 0,
    last_delta integer not null default 0,
    last_filtered_delta smallint not null default 0,
    constraint webstats_year_ips_pkey primary key (year, package, category, ip)
) with (fillfactor = 90);

create table if not exists webstats_category_year_ips (
    year smallint not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    d1 integer not null default 0,
    d2 integer not null default 0,
    d3 integer not null default 0,
    d4 integer not null default 0,
    d5 integer not null default 0,
    d6 integer not null default 0,
    d7 integer not null default 0,
    d8 integer not null default 0,
    d9 integer not null default 0,
    d10 integer not null default 0,
    d11 integer not null default 0,
    d12 integer not null default 0,
    f1 smallint not null default 0,
    f2 smallint not null default 0,
    f3 smallint not null default 0,
    f4 smallint not null default 0,
    f5 smallint not null default 0,
    f6 smallint not null default 0,
    f7 smallint not null default 0,
    f8 smallint not null default 0,
    f9 smallint not null default 0,
    f10 smallint not null default 0,
    f11 smallint not null default 0,
    f12 smallint not null default 0,
    last_delta integer not null default 0,
    last_filtered_delta smallint not null default 0,
    constraint webstats_category_year_ips_pkey primary key (year, category, ip)
) with (fillfactor = 90);

insert into webstats_year_ips (year, package, category, ip, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12)
select year, package, category, ip,
    sum(case when month = 1 then downloads else 0 end)::int, sum(case when month = 2 then downloads else 0 end)::int, sum(case when month = 3 then downloads else 0 end)::int, sum(case when month = 4 then downloads else 0 end)::int, sum(case when month = 5 then downloads else 0 end)::int, sum(case when month = 6 then downloads else 0 end)::int, sum(case when month = 7 then downloads else 0 end)::int, sum(case when month = 8 then downloads else 0 end)::int, sum(case when month = 9 then downloads else 0 end)::int, sum(case when month = 10 then downloads else 0 end)::int, sum(case when month = 11 then downloads else 0 end)::int, sum(case when month = 12 then downloads else 0 end)::int,
    sum(case when month = 1 then filtered_days else 0 end)::smallint, sum(case when month = 2 then filtered_days else 0 end)::smallint, sum(case when month = 3 then filtered_days else 0 end)::smallint, sum(case when month = 4 then filtered_days else 0 end)::smallint, sum(case when month = 5 then filtered_days else 0 end)::smallint, sum(case when month = 6 then filtered_days else 0 end)::smallint, sum(case when month = 7 then filtered_days else 0 end)::smallint, sum(case when month = 8 then filtered_days else 0 end)::smallint, sum(case when month = 9 then filtered_days else 0 end)::smallint, sum(case when month = 10 then filtered_days else 0 end)::smallint, sum(case when month = 11 then filtered_days else 0 end)::smallint, sum(case when month = 12 then filtered_days else 0 end)::smallint
from webstats_month_ips group by year, package, category, ip;

insert into webstats_category_year_ips (year, category, ip, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12)
select year, category, ip,
    sum(case when month = 1 then downloads else 0 end)::int, sum(case when month = 2 then downloads else 0 end)::int, sum(case when month = 3 then downloads else 0 end)::int, sum(case when month = 4 then downloads else 0 end)::int, sum(case when month = 5 then downloads else 0 end)::int, sum(case when month = 6 then downloads else 0 end)::int, sum(case when month = 7 then downloads else 0 end)::int, sum(case when month = 8 then downloads else 0 end)::int, sum(case when month = 9 then downloads else 0 end)::int, sum(case when month = 10 then downloads else 0 end)::int, sum(case when month = 11 then downloads else 0 end)::int, sum(case when month = 12 then downloads else 0 end)::int,
    sum(case when month = 1 then filtered_days else 0 end)::smallint, sum(case when month = 2 then filtered_days else 0 end)::smallint, sum(case when month = 3 then filtered_days else 0 end)::smallint, sum(case when month = 4 then filtered_days else 0 end)::smallint, sum(case when month = 5 then filtered_days else 0 end)::smallint, sum(case when month = 6 then filtered_days else 0 end)::smallint, sum(case when month = 7 then filtered_days else 0 end)::smallint, sum(case when month = 8 then filtered_days else 0 end)::smallint, sum(case when month = 9 then filtered_days else 0 end)::smallint, sum(case when month = 10 then filtered_days else 0 end)::smallint, sum(case when month = 11 then filtered_days else 0 end)::smallint, sum(case when month = 12 then filtered_days else 0 end)::smallint
from webstats_category_month_ips group by year, category, ip;

drop table webstats_month_ips;
drop table webstats_category_month_ips;

-- The next ingest's lookups go by the keys' indexes: the planner must know how large the sets are.
analyze webstats_year_ips;
analyze webstats_category_year_ips;
