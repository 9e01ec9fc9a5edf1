-- A bulk import (`gatelog import`) writes only the line items and their raw events batch by batch,
-- and builds what is derived from them (the element tables, the correlation successors and the day
-- rollups) once, when it ends, from every line item it wrote (duckdb-writer.ts, finishDeferred).
-- Its first batch records here the write time from which line items may lack their element rows; the
-- import's end removes the row. A store opened with a row here (an import that stopped before its
-- end) writes those element rows again and rebuilds the successors and rollups (duckdb-store.ts).

CREATE TABLE deferred_derived_rows (since TIMESTAMP NOT NULL);
