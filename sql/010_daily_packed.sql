-- Each package's days of a month, packed as a build reads them (src/summaries/load.ts): the
-- build reads a year of days for every package, and aggregating ~2 M rows of webstats_daily into
-- strings took most of its time (~5 s of a 300 k-rows-a-day year); these ~80,000 rows a year read
-- in well under one. Kept with webstats_daily_months, by the same writers, for the same months.
create table if not exists webstats_daily_packed (
    month date not null,
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    -- The month's rows of webstats_daily of the pair, and "day,downloads,ips,…" of them (days
    -- since 1970-01-01, in no order).
    days integer not null,
    packed text not null,
    -- Of them, the days with a filtered download, as "day,filtered_ips,filtered_ips,…" (a
    -- package-day's filtered downloads are its filtered IPs); '' when none.
    filtered_days integer not null,
    filtered text not null,
    constraint webstats_daily_packed_pkey primary key (month, package, category)
);

insert into webstats_daily_packed (month, package, category, days, packed, filtered_days, filtered)
select date_trunc('month', date)::date, package, category, count(*),
    string_agg(concat_ws(',', date - date '1970-01-01', downloads, ips), ','),
    count(*) filter (where filtered_ips > 0),
    coalesce(string_agg(concat_ws(',', date - date '1970-01-01', filtered_ips, filtered_ips), ',') filter (where filtered_ips > 0), '')
from webstats_daily
group by 1, 2, 3
on conflict (month, package, category) do nothing;
