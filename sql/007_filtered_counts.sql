-- Counts without crawlers and repeats (src/summaries/crawlers.ts has the rules): per month,
-- downloads are the (package, IP, day) triples whose IP was not a crawler that day, and distinct
-- IPs the IPs with one of them. The IP sets carry them beside the downloads, so that a day's
-- change keeps them exact at the same cost.
--
-- webstats_month_ips.filtered_days: the days of the month on which the (package, category, IP)
-- was seen and the IP was not a crawler; never more than downloads (a row at 0 downloads is gone).
-- webstats_category_month_ips.filtered_days: the sum of that over the category's packages in
-- `packages`, as its downloads are the sum of theirs (one IP fetching two packages on a day is
-- two filtered downloads of the category, as it is two legacy ones).
alter table webstats_month_ips add column if not exists filtered_days smallint not null default 0;
alter table webstats_category_month_ips add column if not exists filtered_days smallint not null default 0;
-- Per package and day: the IPs that were not crawlers that day, which are also the day's
-- filtered downloads (each counts once a day).
alter table webstats_daily add column if not exists filtered_ips integer not null default 0;
-- Per category and day (packages in `packages`): the (package, IP) pairs whose IP was not a
-- crawler that day, and the IPs with one.
alter table webstats_category_daily add column if not exists filtered_downloads integer not null default 0;
alter table webstats_category_daily add column if not exists filtered_ips integer not null default 0;

-- stats and categorystats of the filtered counts: monthly rows (the month's first day) and
-- yearly ones (12-31), for the packages in `packages` as stats has them; a period without a
-- filtered download has no row.
create table if not exists webstats_filtered_stats (like stats including all);
create table if not exists webstats_filtered_categorystats (like categorystats including all);

-- Filling them needs every raw row (hours at production scale), not a migration's work: a
-- database with downloads needs one `summarize` (ingest refuses until then; builds go on from
-- the legacy tables meanwhile). An empty one needs nothing.
update webstats_info set value = 'missing'
where key = 'SummaryTables' and exists (select 1 from bioc_web_downloads);
