-- The first layout of the ClickHouse store: line items with every signIn property as a typed
-- column (flattened: dotted columns for nested objects, parallel arrays for collections), the raw
-- records as received, and the records that could not be taken. See docs/design/0004.
--
-- Placeholders the store fills in: {db} the database; {local:NAME} the table each server keeps
-- (NAME_local in a cluster, where NAME is the Distributed table over them; NAME on a single
-- server); {cluster} and {db_name} as string literals. Statements with ENGINE = Distributed run
-- only in a cluster. Every statement runs on every server of the cluster.

CREATE TABLE IF NOT EXISTS {db}.{local:sign_ins} (
  log_tenant_id String,
  id String,
  `createdDateTime` DateTime('UTC'),
  created_ns Int64,
  `agent.agentSubjectParentId` Nullable(String),
  `agent.agentSubjectType` Nullable(String),
  `agent.agentType` Nullable(String),
  `agent.parentAppId` Nullable(String),
  `appDisplayName` Nullable(String),
  `appId` Nullable(String),
  `appliedConditionalAccessPolicies.authenticationStrength.authenticationStrengthId` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.authenticationStrength.authenticationStrengthResult` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.authenticationStrength.displayName` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.conditionsNotSatisfied` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.conditionsSatisfied` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.displayName` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.enforcedGrantControls` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.enforcedSessionControls` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.excludeRulesSatisfied.conditionalAccessCondition` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.excludeRulesSatisfied.ruleSatisfied` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.id` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.includeRulesSatisfied.conditionalAccessCondition` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.includeRulesSatisfied.ruleSatisfied` Array(Array(Nullable(String))),
  `appliedConditionalAccessPolicies.result` Array(Nullable(String)),
  `appliedConditionalAccessPolicies.sessionControlsNotSatisfied` Array(Array(Nullable(String))),
  `appliedEventListeners.eventType` Array(Nullable(String)),
  `appliedEventListeners.executedListenerId` Array(Nullable(String)),
  `appliedEventListeners.handlerResult` Array(Nullable(String)),
  `appOwnerTenantId` Nullable(String),
  `appTokenProtectionStatus` Nullable(String),
  `authenticationAppDeviceDetails.appVersion` Nullable(String),
  `authenticationAppDeviceDetails.clientApp` Nullable(String),
  `authenticationAppDeviceDetails.deviceId` Nullable(String),
  `authenticationAppDeviceDetails.operatingSystem` Nullable(String),
  `authenticationAppPolicyEvaluationDetails.adminConfiguration` Array(Nullable(String)),
  `authenticationAppPolicyEvaluationDetails.authenticationEvaluation` Array(Nullable(String)),
  `authenticationAppPolicyEvaluationDetails.policyName` Array(Nullable(String)),
  `authenticationAppPolicyEvaluationDetails.status` Array(Nullable(String)),
  `authenticationContextClassReferences.detail` Array(Nullable(String)),
  `authenticationContextClassReferences.id` Array(Nullable(String)),
  `authenticationDetails.authenticationMethod` Array(Nullable(String)),
  `authenticationDetails.authenticationMethodDetail` Array(Nullable(String)),
  `authenticationDetails.authenticationStepDateTime` Array(Nullable(Int64)),
  `authenticationDetails.authenticationStepRequirement` Array(Nullable(String)),
  `authenticationDetails.authenticationStepResultDetail` Array(Nullable(String)),
  `authenticationDetails.succeeded` Array(Nullable(UInt8)),
  `authenticationMethodsUsed` Array(Nullable(String)),
  `authenticationProcessingDetails.key` Array(Nullable(String)),
  `authenticationProcessingDetails.value` Array(Nullable(String)),
  `authenticationProtocol` Nullable(String),
  `authenticationRequirement` Nullable(String),
  `authenticationRequirementPolicies.detail` Array(Nullable(String)),
  `authenticationRequirementPolicies.requirementProvider` Array(Nullable(String)),
  `autonomousSystemNumber` Nullable(Int32),
  `azureResourceId` Nullable(String),
  `clientAppUsed` Nullable(String),
  `clientCredentialType` Nullable(String),
  `clientSessionId` Nullable(String),
  `conditionalAccessAudiences` Array(Nullable(String)),
  `conditionalAccessStatus` Nullable(String),
  `correlationId` Nullable(String),
  `crossTenantAccessType` Nullable(String),
  `deviceDetail.browser` Nullable(String),
  `deviceDetail.browserId` Nullable(String),
  `deviceDetail.deviceId` Nullable(String),
  `deviceDetail.displayName` Nullable(String),
  `deviceDetail.isCompliant` Nullable(UInt8),
  `deviceDetail.isManaged` Nullable(UInt8),
  `deviceDetail.operatingSystem` Nullable(String),
  `deviceDetail.trustType` Nullable(String),
  `federatedCredentialId` Nullable(String),
  `flaggedForReview` Nullable(UInt8),
  `globalSecureAccessIpAddress` Nullable(String),
  `homeTenantId` Nullable(String),
  `homeTenantName` Nullable(String),
  `incomingTokenType` Nullable(String),
  `ipAddress` Nullable(String),
  `ipAddressFromResourceProvider` Nullable(String),
  `isInteractive` Nullable(UInt8),
  `isTenantRestricted` Nullable(UInt8),
  `isThroughGlobalSecureAccess` Nullable(UInt8),
  `location.city` Nullable(String),
  `location.countryOrRegion` Nullable(String),
  `location.geoCoordinates.altitude` Nullable(Float64),
  `location.geoCoordinates.latitude` Nullable(Float64),
  `location.geoCoordinates.longitude` Nullable(Float64),
  `location.state` Nullable(String),
  `managedServiceIdentity.associatedResourceId` Nullable(String),
  `managedServiceIdentity.federatedTokenId` Nullable(String),
  `managedServiceIdentity.federatedTokenIssuer` Nullable(String),
  `managedServiceIdentity.msiType` Nullable(String),
  `mfaDetail.authDetail` Nullable(String),
  `mfaDetail.authMethod` Nullable(String),
  `networkLocationDetails.networkNames` Array(Array(Nullable(String))),
  `networkLocationDetails.networkType` Array(Nullable(String)),
  `originalRequestId` Nullable(String),
  `originalTransferMethod` Nullable(String),
  `privateLinkDetails.policyId` Nullable(String),
  `privateLinkDetails.policyName` Nullable(String),
  `privateLinkDetails.policyTenantId` Nullable(String),
  `privateLinkDetails.resourceId` Nullable(String),
  `processingTimeInMilliseconds` Nullable(Int32),
  `resourceDisplayName` Nullable(String),
  `resourceId` Nullable(String),
  `resourceOwnerTenantId` Nullable(String),
  `resourceServicePrincipalId` Nullable(String),
  `resourceTenantId` Nullable(String),
  `riskDetail` Nullable(String),
  `riskEventTypes_v2` Array(Nullable(String)),
  `riskLevelAggregated` Nullable(String),
  `riskLevelDuringSignIn` Nullable(String),
  `riskState` Nullable(String),
  `servicePrincipalCredentialKeyId` Nullable(String),
  `servicePrincipalCredentialThumbprint` Nullable(String),
  `servicePrincipalId` Nullable(String),
  `servicePrincipalName` Nullable(String),
  `sessionId` Nullable(String),
  `sessionLifetimePolicies.detail` Array(Nullable(String)),
  `sessionLifetimePolicies.expirationRequirement` Array(Nullable(String)),
  `signInEventTypes` Array(Nullable(String)),
  `signInIdentifier` Nullable(String),
  `signInIdentifierType` Nullable(String),
  `signInTokenProtectionStatus` Nullable(String),
  `status.additionalDetails` Nullable(String),
  `status.errorCode` Nullable(Int32),
  `status.failureReason` Nullable(String),
  `tokenIssuerName` Nullable(String),
  `tokenIssuerType` Nullable(String),
  `tokenProtectionStatusDetails.signInSessionStatus` Nullable(String),
  `tokenProtectionStatusDetails.signInSessionStatusCode` Nullable(Int32),
  `uniqueTokenIdentifier` Nullable(String),
  `userAgent` Nullable(String),
  `userDisplayName` Nullable(String),
  `userId` Nullable(String),
  `userPrincipalName` Nullable(String),
  `userType` Nullable(String),
  `riskEventTypes` Array(Nullable(String)),
  record String,
  extra Nullable(String),
  event_key UInt64,
  ingested_at DateTime('UTC'),
  version UInt64,
  deleted UInt8
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(createdDateTime)
ORDER BY (log_tenant_id, created_ns, id);

CREATE TABLE IF NOT EXISTS {db}.sign_ins AS {db}.sign_ins_local
ENGINE = Distributed({cluster}, {db_name}, sign_ins_local, cityHash64(log_tenant_id, id));

CREATE TABLE IF NOT EXISTS {db}.{local:sign_in_events} (
  log_tenant_id String,
  sign_in_id String,
  event_key UInt64,
  created_ns Int64,
  created_date_time DateTime('UTC'),
  received_at DateTime('UTC'),
  format String,
  source Nullable(String),
  line Nullable(Int64),
  byte_offset Nullable(Int64),
  -- The record as received (JSON): the source's own row for formats that are not Graph's; for
  -- Graph records, set once it is no longer the line item's current version (NULL while the line
  -- item in sign_ins is this very record).
  raw Nullable(String),
  -- When the source observed the record (Azure Monitor time, TimeGenerated), nanoseconds.
  observed_ns Nullable(Int64),
  -- For a partial record (an authentication-details row): the properties it says.
  partial_properties Array(String),
  -- This event's reading (canonical record and extra, JSON), once the line item is a merge of
  -- several events (src/aggregate/); NULL while the line item is this one event's reading.
  reading Nullable(String),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(created_date_time)
ORDER BY (log_tenant_id, sign_in_id, event_key);

CREATE TABLE IF NOT EXISTS {db}.sign_in_events AS {db}.sign_in_events_local
ENGINE = Distributed({cluster}, {db_name}, sign_in_events_local, cityHash64(log_tenant_id, sign_in_id));

CREATE TABLE IF NOT EXISTS {db}.{local:rejects} (
  -- Identity of a reject (its source, place, reason and text): the same reject is kept once.
  reject_key UInt64,
  received_at DateTime('UTC'),
  format String,
  source String,
  line Nullable(Int64),
  byte_offset Nullable(Int64),
  reason String,
  raw Nullable(String)
) ENGINE = ReplacingMergeTree()
ORDER BY reject_key;

CREATE TABLE IF NOT EXISTS {db}.rejects AS {db}.rejects_local
ENGINE = Distributed({cluster}, {db_name}, rejects_local, reject_key);
