-- Every read of sign-in data (the API's routes, the CLI's commands): who, when, through which
-- credential, the tenants they may read, what they asked for and how many rows they got.
-- Append-only: a plain MergeTree, into which the store only ever inserts. `read_at_ms` keeps the
-- milliseconds (ClickHouse 18.16 has no DateTime64); `all_tenants` is 1 for a reader of every
-- tenant (then `tenants` is empty); `seq` orders entries of the same instant (microseconds, then
-- counting, per server process).

CREATE TABLE IF NOT EXISTS {db}.{local:audit_log} (
  read_at DateTime('UTC'),
  read_at_ms Int64,
  seq Int64,
  actor String,
  via String,
  all_tenants UInt8,
  tenants Array(String),
  action String,
  target Nullable(String),
  filter_text Nullable(String),
  row_count Int64,
  status Int32,
  client Nullable(String),
  request_id Nullable(String)
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(read_at)
ORDER BY (read_at, read_at_ms, seq);

CREATE TABLE IF NOT EXISTS {db}.audit_log AS {db}.audit_log_local
ENGINE = Distributed({cluster}, {db_name}, audit_log_local, rand());
