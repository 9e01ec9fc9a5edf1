-- Each line item's key and its correlation group as 64-bit hashes (the low half of the MD5 of
-- tenant, NUL, id or correlation id; layout.ts KEY_HASH_SQL and GROUP_HASH_SQL write them). Every
-- batch looks up its sign-ins and their correlation groups among all the store's line items: over
-- one 8-byte column (and the time, whose zone maps then narrow the exact match on the strings)
-- instead of two string columns of every row, which made each batch's checks grow with the store.

ALTER TABLE sign_ins ADD COLUMN key_hash UBIGINT;
ALTER TABLE sign_ins ADD COLUMN group_hash UBIGINT;
UPDATE sign_ins SET key_hash = md5_number_lower(log_tenant_id || chr(0) || "id"),
  group_hash = md5_number_lower(log_tenant_id || chr(0) || coalesce("correlationId", "id"));
