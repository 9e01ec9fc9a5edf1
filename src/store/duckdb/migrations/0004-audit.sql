-- Every read of sign-in data (the API's routes, the CLI's commands): who, when, through which
-- credential, the tenants they may read, what they asked for and how many rows they got.
-- Append-only: the store only ever inserts into it. `seq` orders entries of the same instant.

CREATE SEQUENCE audit_seq;

CREATE TABLE audit_log (
  seq BIGINT NOT NULL DEFAULT nextval('audit_seq'),
  read_at TIMESTAMP NOT NULL,
  actor VARCHAR NOT NULL,
  via VARCHAR NOT NULL,
  tenants VARCHAR[],
  action VARCHAR NOT NULL,
  target VARCHAR,
  filter_text VARCHAR,
  row_count BIGINT NOT NULL,
  status INTEGER NOT NULL,
  client VARCHAR,
  request_id VARCHAR
);
