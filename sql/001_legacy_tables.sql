-- The legacy server's tables, names and columns unchanged (Bioconductor/bio-web-stats,
-- etl/postgresql/t_*.sql), so that webstats can run against the production database.
-- "if not exists": on that database this migration only records itself.

create table if not exists bioc_web_downloads (
    date date,
    "c-ip" varchar(40),
    "sc-status" integer,
    category varchar(16),
    package varchar(64)
);

create table if not exists packages (
    package varchar(64) not null primary key,
    category varchar(16) not null,
    first_version varchar(8) not null,
    last_version varchar(8)
);

create table if not exists stats (
    category varchar(16),
    package varchar(64) not null,
    date date not null,
    is_monthly boolean not null,
    ip_count integer,
    download_count integer,
    constraint stats_pkey primary key (package, date)
);

create table if not exists categorystats (
    category varchar(16) not null,
    date date not null,
    is_monthly boolean not null,
    ip_count integer,
    download_count integer,
    constraint categorystats_pkey primary key (category, date)
);

create table if not exists webstats_info (
    key varchar(23) not null primary key,
    value varchar(128)
);
