-- The IP sets keyed by month, and the year's pairs apart (summaries/ip-sets.ts). A night writes
-- only the current month's rows: its pairs' downloads and filtered days, upserted into the month's
-- part of the index, which a month of nights keeps warm. The year's pairs (keys) are only
-- inserted, by the pairs new to the month (`on conflict do nothing`), never updated: a year row
-- of 24 counts rewritten per pair and night (sql/011) wrote ~3.5 GB of WAL for a late-year day
-- and read a random page of the year's sets per pair, so a night cost more as the year went on.
-- A pair that leaves a month (a restated day) looks up its other months' rows.
set local work_mem = '256MB';
-- The keys' indexes are made once the rows are in: one sort each, not a hundred million insertions.
-- The month rows go in by month, so that a month's rows share their pages (summaries/year-rows.ts).
set local maintenance_work_mem = '512MB';

-- 004's month tables, dropped by 011, had these names (keyed by the pair, then the month).
create table webstats_month_ips (
    year smallint not null,
    month smallint not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    downloads integer not null,
    filtered_days smallint not null
) with (fillfactor = 90);

create table webstats_category_month_ips (
    year smallint not null,
    month smallint not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    downloads integer not null,
    filtered_days integer not null
) with (fillfactor = 90);

create table webstats_year_pairs (
    year smallint not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null
);

create table webstats_category_year_pairs (
    year smallint not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null
);

-- The year's pairs with no filtered day that year (a crawler's every day): few, apart, so that
-- the year's pairs are only ever inserted or deleted (an upsert that may set a flag locks, and so
-- writes, every row it finds).
create table webstats_year_unfiltered (like webstats_year_pairs);
create table webstats_category_year_unfiltered (like webstats_category_year_pairs);

insert into webstats_month_ips (year, month, package, category, ip, downloads, filtered_days)
select y.year, m.month, y.package, y.category, y.ip, m.downloads, m.filtered_days
from webstats_year_ips y cross join lateral (values (1, y.d1, y.f1), (2, y.d2, y.f2), (3, y.d3, y.f3), (4, y.d4, y.f4), (5, y.d5, y.f5), (6, y.d6, y.f6), (7, y.d7, y.f7), (8, y.d8, y.f8), (9, y.d9, y.f9), (10, y.d10, y.f10), (11, y.d11, y.f11), (12, y.d12, y.f12)) m(month, downloads, filtered_days)
where m.downloads > 0 order by 1, 2;

insert into webstats_category_month_ips (year, month, category, ip, downloads, filtered_days)
select y.year, m.month, y.category, y.ip, m.downloads, m.filtered_days
from webstats_category_year_ips y cross join lateral (values (1, y.d1, y.f1), (2, y.d2, y.f2), (3, y.d3, y.f3), (4, y.d4, y.f4), (5, y.d5, y.f5), (6, y.d6, y.f6), (7, y.d7, y.f7), (8, y.d8, y.f8), (9, y.d9, y.f9), (10, y.d10, y.f10), (11, y.d11, y.f11), (12, y.d12, y.f12)) m(month, downloads, filtered_days)
where m.downloads > 0 order by 1, 2;

insert into webstats_year_pairs (year, package, category, ip) select year, package, category, ip from webstats_year_ips;
insert into webstats_year_unfiltered (year, package, category, ip)
select year, package, category, ip from webstats_year_ips y where (y.f1 + y.f2 + y.f3 + y.f4 + y.f5 + y.f6 + y.f7 + y.f8 + y.f9 + y.f10 + y.f11 + y.f12) = 0;

insert into webstats_category_year_pairs (year, category, ip) select year, category, ip from webstats_category_year_ips;
insert into webstats_category_year_unfiltered (year, category, ip)
select year, category, ip from webstats_category_year_ips y where (y.f1 + y.f2 + y.f3 + y.f4 + y.f5 + y.f6 + y.f7 + y.f8 + y.f9 + y.f10 + y.f11 + y.f12) = 0;

alter table webstats_month_ips add constraint webstats_month_ips_pkey primary key (year, month, package, category, ip);
alter table webstats_category_month_ips add constraint webstats_category_month_ips_pkey primary key (year, month, category, ip);
alter table webstats_year_pairs add constraint webstats_year_pairs_pkey primary key (year, package, category, ip);
alter table webstats_category_year_pairs add constraint webstats_category_year_pairs_pkey primary key (year, category, ip);
alter table webstats_year_unfiltered add constraint webstats_year_unfiltered_pkey primary key (year, package, category, ip);
alter table webstats_category_year_unfiltered add constraint webstats_category_year_unfiltered_pkey primary key (year, category, ip);
drop table webstats_year_ips;
drop table webstats_category_year_ips;

-- The last 30 days' distinct IPs: the window's (package, category, IP) pairs with the last day
-- each was seen in it. Bounded by the window (~5 M pairs at production volume), not by the year,
-- so a night's upsert of its pairs costs the same in December as in January. last_date has no
-- index and pages keep a fifth free: moving a pair's day on is an update in place (HOT).
drop table if exists webstats_recent_days;
drop table if exists webstats_recent_ips;
create table webstats_recent_ips (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    last_date date not null,
    constraint webstats_recent_ips_pkey primary key (package, category, ip)
) with (fillfactor = 80);

-- Made again from the window's raw rows by the next ingest (or summarize).
update webstats_info set value = '' where key = 'RecentThru';
delete from webstats_info where key = 'LastDaysStale';

analyze webstats_month_ips;
analyze webstats_category_month_ips;
analyze webstats_year_pairs;
analyze webstats_category_year_pairs;
analyze webstats_year_unfiltered;
analyze webstats_category_year_unfiltered;
