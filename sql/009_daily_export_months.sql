-- The daily bulk export's months (src/site/api/daily-export.ts). A build renders a month's file
-- again only when the month's revision differs from the one the file it holds was made from, so
-- that a nightly reads and renders the month it changed, not every day since 2009. Every writer
-- of webstats_daily keeps it (src/summaries/daily-months.ts): ingest (the months of the days it
-- replaces), summarize (the months it rebuilds) and a packages change (the months the changed
-- packages have days in).
create table if not exists webstats_daily_months (
    month date not null,
    -- txid_current() of the transaction that last changed the month's days or known packages.
    revision bigint not null,
    -- The month's rows of webstats_daily whose (package, category) is in packages: the file's records.
    records integer not null,
    constraint webstats_daily_months_pkey primary key (month)
);

insert into webstats_daily_months (month, revision, records)
select date_trunc('month', d.date)::date, txid_current(), count(p.package)
from webstats_daily d left join packages p on p.package = d.package and p.category = d.category
group by 1
on conflict (month) do nothing;
