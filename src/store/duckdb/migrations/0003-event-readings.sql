-- Several records of one sign-in make one line item (src/aggregate/): each raw event keeps its own
-- reading (the canonical record and its extra overlay, as JSON), so a line item can always be
-- merged again from all of its events in the order their sources observed them. NULL while the
-- line item is this one event's reading.

ALTER TABLE sign_in_events ADD COLUMN reading VARCHAR;
