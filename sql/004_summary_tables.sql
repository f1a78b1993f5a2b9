-- webstats' own summary tables, beside the legacy ones, so that a new day costs what the day
-- holds and never what the year or the table holds. Their text is in the "C" collation: their
-- keys are compared byte for byte, many times faster than a locale's rules (and no output's
-- order comes from the database anyway). Each counts only rows whose status counts
-- (200, 301, 302, 307, 308); the ones keyed by package hold every (package, category) of the raw
-- rows, known to `packages` or not, so a change of the packages table needs no raw rows.

-- Per (package, category, IP) and month: its downloads. A month's distinct IPs are its rows; a
-- year's are the IPs with a row in any of its months. The key puts a year's rows together and a
-- pair's months side by side: "was this IP seen this year?" is one short index range.
create table if not exists webstats_month_ips (
    year smallint not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    month smallint not null,
    downloads integer not null,
    constraint webstats_month_ips_pkey primary key (year, package, category, ip, month)
);

-- The same per (category, IP), over the downloads of packages in `packages` only, as
-- v_categorystats counts them.
create table if not exists webstats_category_month_ips (
    year smallint not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    month smallint not null,
    downloads integer not null,
    constraint webstats_category_month_ips_pkey primary key (year, category, ip, month)
);

-- Per package and day: downloads and distinct IPs (daily series, the last 30 days' downloads).
create table if not exists webstats_daily (
    date date not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    downloads integer not null,
    ips integer not null,
    constraint webstats_daily_pkey primary key (date, package, category)
);

-- The IPs of each package on each of the last 30 days (ValidThru-29 .. ValidThru), so that the
-- window's distinct IPs move with it a day at a time; and those counts per package.
create table if not exists webstats_recent_ips (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    date date not null,
    downloads integer not null,
    constraint webstats_recent_ips_pkey primary key (package, category, ip, date)
);
-- The window moves by days: the day that leaves, and the days an ingest replaces.
create index if not exists webstats_recent_ips_date on webstats_recent_ips (date);

create table if not exists webstats_recent (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    downloads integer not null,
    ips integer not null,
    constraint webstats_recent_pkey primary key (package, category)
);

-- The packages the category tables and stats were made with: `summarize` applies what changed since.
create table if not exists webstats_summarized_packages (
    package varchar(64) collate "C" not null primary key,
    category varchar(16) collate "C" not null
);

-- On a database that already holds downloads (the legacy one), these tables are empty until
-- `summarize` fills them; until then ingest refuses to run. An empty database needs nothing.
insert into webstats_info (key, value)
select 'SummaryTables', case when exists (select 1 from bioc_web_downloads) then 'missing' else 'complete' end
on conflict (key) do nothing;
