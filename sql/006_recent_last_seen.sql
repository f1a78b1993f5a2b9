-- The last 30 days' distinct IPs per package, kept by the last day each (package, category, IP)
-- was seen in the window instead of one row per day it was seen: a new day is one upsert per
-- pair, the day leaving the window one range of the last_date index (the pairs seen last on it),
-- and the table holds the window's distinct pairs, about half the rows of the per-day one.
drop table if exists webstats_recent_ips;
create table webstats_recent_ips (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    last_date date not null,
    constraint webstats_recent_ips_pkey primary key (package, category, ip)
);
create index webstats_recent_ips_last_date on webstats_recent_ips (last_date);

-- The next writer makes the window again from the raw rows (about 30 days of them); a build
-- until then counts the window from the raw rows itself.
update webstats_info set value = '' where key = 'RecentThru';
