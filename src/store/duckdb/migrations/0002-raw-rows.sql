-- Raw events of formats that are not Graph's own shape (Azure Monitor, Log Analytics, the admin
-- center's CSV) keep the row as the source wrote it in `raw` from the start; when the source
-- observed the row; and, for a partial record (an authentication-details row), the properties it
-- says, so that the merge step can tell it from a whole record.

ALTER TABLE sign_in_events ADD COLUMN observed_at TIMESTAMP_NS;

ALTER TABLE sign_in_events ADD COLUMN partial_properties VARCHAR[];
