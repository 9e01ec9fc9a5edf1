-- One row per Conditional Access policy result and per authentication step of a line item, kept
-- beside sign_ins in the same transaction as the line item (duckdb-writer.ts commit): reports that
-- unnest those collections read these narrow tables instead of the whole nested column (the
-- collection's every field, for every sign-in). Each row carries the sign-in columns reports
-- filter and group by most, named as in sign_ins, so the rendered condition applies unchanged;
-- other conditions reach sign_ins by (log_tenant_id, id). The element is a STRUCT named as the
-- collection's own items, with the fields the reports read.

CREATE TABLE sign_in_ca_results (
  log_tenant_id VARCHAR NOT NULL,
  "id" VARCHAR NOT NULL,
  "createdDateTime" TIMESTAMP_NS NOT NULL,
  "correlationId" VARCHAR,
  "signInEventTypes" VARCHAR[],
  "isInteractive" BOOLEAN,
  "userPrincipalName" VARCHAR,
  "appDisplayName" VARCHAR,
  element STRUCT("id" VARCHAR, "displayName" VARCHAR, "result" VARCHAR)
);

CREATE TABLE sign_in_auth_steps (
  log_tenant_id VARCHAR NOT NULL,
  "id" VARCHAR NOT NULL,
  "createdDateTime" TIMESTAMP_NS NOT NULL,
  "correlationId" VARCHAR,
  "signInEventTypes" VARCHAR[],
  "isInteractive" BOOLEAN,
  "userPrincipalName" VARCHAR,
  "appDisplayName" VARCHAR,
  element STRUCT("authenticationMethod" VARCHAR, "authenticationStepResultDetail" VARCHAR, "succeeded" BOOLEAN)
);

INSERT INTO sign_in_ca_results
SELECT log_tenant_id, "id", "createdDateTime", "correlationId", "signInEventTypes", "isInteractive", "userPrincipalName", "appDisplayName",
  struct_pack("id" := p."id", "displayName" := p."displayName", "result" := p."result")
FROM (SELECT log_tenant_id, "id", "createdDateTime", "correlationId", "signInEventTypes", "isInteractive", "userPrincipalName", "appDisplayName",
        unnest("appliedConditionalAccessPolicies") AS p
      FROM sign_ins);

INSERT INTO sign_in_auth_steps
SELECT log_tenant_id, "id", "createdDateTime", "correlationId", "signInEventTypes", "isInteractive", "userPrincipalName", "appDisplayName",
  struct_pack("authenticationMethod" := d."authenticationMethod", "authenticationStepResultDetail" := d."authenticationStepResultDetail", "succeeded" := d."succeeded")
FROM (SELECT log_tenant_id, "id", "createdDateTime", "correlationId", "signInEventTypes", "isInteractive", "userPrincipalName", "appDisplayName",
        unnest("authenticationDetails") AS d
      FROM sign_ins);
