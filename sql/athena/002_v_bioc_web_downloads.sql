-- The package downloads among the log lines: the legacy view's semantics, which
-- src/sources/cloudfront-line.ts reproduces for logs read without Athena.
--   * the URI is /packages/VERSION/CATEGORY/(bin|src)/.../PACKAGE_VERSION.(tar|gz|zip|tgz),
--     any run of '/' counting as one; CATEGORY is bioc, workflows, data/experiment or
--     data/annotation, reported with 'data/' removed (SQL replace: 'data//experiment'
--     becomes '/experiment', which no package has);
--   * PACKAGE is the file name up to its first '_';
--   * only statuses 200, 301, 302, 307, 308;
--   * rows whose values do not fit bioc_web_downloads (c-ip 40, category 16, package 64
--     characters) or have an empty package are left out.
CREATE OR REPLACE VIEW v_bioc_web_downloads AS
WITH matched AS (
  SELECT
    "date",
    request_ip AS "c-ip",
    status AS "sc-status",
    regexp_extract(uri, '^/+packages/+[^/]*/+(bioc|workflows|data/+experiment|data/+annotation)/+(?:bin|src)/+(?:[^/]*/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$', 1) AS raw_category,
    regexp_extract(uri, '^/+packages/+[^/]*/+(bioc|workflows|data/+experiment|data/+annotation)/+(?:bin|src)/+(?:[^/]*/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$', 2) AS package
  FROM cloudfront_logs
  WHERE status IN (200, 301, 302, 307, 308)
    AND regexp_like(uri, '^/+packages/+[^/]*/+(bioc|workflows|data/+experiment|data/+annotation)/+(?:bin|src)/+(?:[^/]*/+)*([^_]*)_.*\.(?:tar|gz|zip|tgz)$')
)
SELECT "date", "c-ip", "sc-status", replace(raw_category, 'data/', '') AS category, package
FROM matched
WHERE package <> ''
  AND length("c-ip") <= 40
  AND length(replace(raw_category, 'data/', '')) <= 16
  AND length(package) <= 64;
