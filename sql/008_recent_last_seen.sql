-- The last 30 days' distinct IPs per package, kept by the last day each (package, category, IP)
-- was seen in the window instead of one row per day it was seen: a new day is one upsert per
-- pair, the day leaving the window one scan of the window's pairs, and the table holds the
-- window's distinct pairs, about half the rows of the per-day one. last_date has no index, and
-- pages keep a fifth free, so that moving a pair's day on is an update in place (a HOT update:
-- no index entry written), the most frequent change of a nightly.
drop table if exists webstats_recent_ips;
create table webstats_recent_ips (
    package varchar(64) collate "C" not null,
    category varchar(16) collate "C" not null,
    ip varchar(40) collate "C" not null,
    last_date date not null,
    constraint webstats_recent_ips_pkey primary key (package, category, ip)
) with (fillfactor = 80);

-- The same for the IP sets: most of a day's pairs were already seen that month, and adding to
-- their downloads in place spares an entry in a key index of tens of millions. Pages written from
-- now on (all of them after the next summarize) keep a tenth free.
alter table webstats_month_ips set (fillfactor = 90);
alter table webstats_category_month_ips set (fillfactor = 90);

-- The next writer makes the window again from the raw rows (about 30 days of them); a build
-- until then counts the window from the raw rows itself.
update webstats_info set value = '' where key = 'RecentThru';
