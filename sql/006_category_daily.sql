-- Per category and day, over the downloads of packages in `packages` (as v_categorystats counts
-- them): downloads and distinct IPs. webstats_daily cannot give a category's distinct IPs of a
-- day (an IP fetching two packages is one IP of the category), and nothing else keeps IPs per
-- day beyond the last 30 days. Kept by ingest (the days it replaces), summarize (the months it
-- rebuilds) and a packages change (the days the changed packages have rows on, recounted).
create table if not exists webstats_category_daily (
    date date not null,
    category varchar(16) collate "C" not null,
    downloads integer not null,
    ips integer not null,
    constraint webstats_category_daily_pkey primary key (date, category)
);

-- A database that holds downloads already: counted once, from the raw rows, here.
insert into webstats_category_daily (date, category, downloads, ips)
select date, category, sum(n), count(*) from (
    select d.date, d.category, d."c-ip", count(*) as n
    from bioc_web_downloads d join packages p on p.package = d.package and p.category = d.category
    where d."sc-status" in (200, 301, 302, 307, 308)
    group by 1, 2, 3) x
group by 1, 2
on conflict (date, category) do nothing;
