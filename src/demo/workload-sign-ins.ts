// Workload sign-ins of the demo tenant: service principals (client secrets, certificates,
// federated credentials; only workload-identity policies apply, and only to the tenant's own
// single-tenant apps) and managed identities (no Conditional Access, no client address).
import type { ManagedIdentity, SignInLocation } from '@microsoft/microsoft-graph-types-beta';
import type { SignInRecord } from '../model/sign-in.js';
import { requestIdToUniqueTokenIdentifier } from '../model/unique-token-identifier.js';
import { APPS, MICROSOFT_SERVICES_TENANT_ID, type AppFact, type ErrorCode } from './catalog.js';
import { RISK, evaluatePolicies, type CaContext, type CaEvaluation } from './policies.js';
import { Weighted, hashString, stableGuid } from './random.js';
import { EMPTY, status, type Scene } from './scene.js';
import { CLOUD_ASN, CLOUD_REGIONS, DEMO_TENANT, HOSTING, OFFICES, type DemoManagedIdentity, type DemoServicePrincipal } from './tenant.js';

const EVENT_SERVICE_PRINCIPAL = ['servicePrincipal'];
const EVENT_MANAGED_IDENTITY = ['managedIdentity'];

interface Origin {
  ip: string;
  asn: number;
  location: SignInLocation;
  trusted: boolean;
}

const spCtx: CaContext = {
  tags: 0,
  appId: '',
  resourceId: '',
  clientType: 0,
  platform: 0,
  trustedLocation: false,
  countryAllowed: true,
  signInRisk: 0,
  userRisk: 0,
  compliant: false,
  hybridJoined: false,
  deviceCodeFlow: false,
  approvedClientApp: false,
  mfa: false,
  phishingResistant: false,
  servicePrincipalId: '',
  servicePrincipalRisk: RISK.none,
};

const NO_POLICIES: CaEvaluation = { entries: EMPTY, status: 'notApplied', errorCode: 0, needsMfa: false, mfaRequired: false, signInFrequency: false };

const msiDetails = new WeakMap<DemoManagedIdentity, ManagedIdentity>();

/** The `managedServiceIdentity` object of an identity, made once. */
function msiDetail(mi: DemoManagedIdentity): ManagedIdentity {
  let d = msiDetails.get(mi);
  if (!d) {
    d = { msiType: mi.msiType, associatedResourceId: mi.associatedResourceId };
    msiDetails.set(mi, d);
  }
  return d;
}

const spPickers = new WeakMap<Scene['dir'], Weighted<DemoServicePrincipal>>();
const miPickers = new WeakMap<Scene['dir'], Weighted<DemoManagedIdentity>>();

function originOf(scene: Scene, sp: DemoServicePrincipal): Origin {
  const rng = scene.rng;
  if (sp.origin === 'office') {
    const hq = OFFICES[0] as (typeof OFFICES)[number];
    return { ip: hq.egress[1] as string, asn: hq.asn, location: hq.place.location, trusted: true };
  }
  // Cloud workloads run in one region; CI runners come from any region's pool.
  const h = hashString(sp.name);
  const region = CLOUD_REGIONS[sp.origin === 'github' ? rng.int(CLOUD_REGIONS.length) : h % CLOUD_REGIONS.length] as (typeof CLOUD_REGIONS)[number];
  const host = sp.origin === 'github' ? 100 + rng.int(150) : 10 + (h % 20);
  return { ip: `${region.v4Prefix}${host}`, asn: CLOUD_ASN, location: region.place.location, trusted: false };
}

/** An application that was deleted but whose job still runs somewhere: 700016. */
const DELETED_APP: AppFact = { id: stableGuid('contoso-demo:deleted-app'), name: '' };

/** One service principal sign-in. */
export function servicePrincipalEvent(scene: Scene, t: number): void {
  const rng = scene.rng;
  const dir = scene.dir;
  let picker = spPickers.get(dir);
  if (!picker) {
    picker = new Weighted(dir.servicePrincipals.map((s) => [s, s.weight] as const));
    spPickers.set(dir, picker);
  }
  const id = rng.guid();
  const x = rng.float();
  if (x < 0.01) {
    // A job still running for an application that no longer exists in the tenant.
    const origin = originOf(scene, dir.servicePrincipals[0] as DemoServicePrincipal);
    const rec: SignInRecord = {
      id,
      createdDateTime: scene.time(t),
      appId: DELETED_APP.id,
      ipAddress: origin.ip,
      correlationId: rng.guid(),
      conditionalAccessStatus: 'notApplied',
      isInteractive: false,
      tokenIssuerType: 'AzureAD',
      clientCredentialType: 'clientSecret',
      processingTimeInMilliseconds: 5 + rng.int(30),
      resourceDisplayName: APPS.graph.name,
      resourceId: APPS.graph.id,
      resourceTenantId: DEMO_TENANT.id,
      resourceOwnerTenantId: MICROSOFT_SERVICES_TENANT_ID,
      signInEventTypes: EVENT_SERVICE_PRINCIPAL,
      autonomousSystemNumber: origin.asn,
      crossTenantAccessType: 'none',
      uniqueTokenIdentifier: requestIdToUniqueTokenIdentifier(id),
      incomingTokenType: 'none',
      authenticationProtocol: 'none',
      status: status(700016),
      location: origin.location,
      appliedConditionalAccessPolicies: EMPTY,
    };
    scene.push(t, rec);
    return;
  }
  const sp = picker.pick(rng);
  const resource = sp.resources[rng.int(sp.resources.length)] as AppFact;
  let origin = originOf(scene, sp);
  // Rarely, an on-premises job's secret is used from somewhere else: the location policy blocks it.
  if (sp.origin === 'office' && rng.chance(0.006)) {
    const h = HOSTING[rng.int(HOSTING.length)] as (typeof HOSTING)[number];
    origin = { ip: `${h.v4Prefix}${rng.between(2, 254)}`, asn: h.asn, location: h.place.location, trusted: false };
  }
  let ev = NO_POLICIES;
  if (sp.ownerTenantId === DEMO_TENANT.id) {
    const c = spCtx;
    c.appId = sp.id;
    c.resourceId = resource.id;
    c.trustedLocation = origin.trusted;
    c.servicePrincipalId = sp.servicePrincipalId;
    ev = evaluatePolicies(scene.workloadPolicies, c);
  }
  let code: 0 | ErrorCode = ev.errorCode as 0 | ErrorCode;
  if (code === 0) {
    const y = rng.float();
    if (sp.secretExpiresAt !== null && t >= sp.secretExpiresAt * scene.windowTicks) code = 7000222;
    else if (sp.credential === 'clientSecret' && y < 0.012) code = 7000215;
    else if (sp.credential === 'certificate' && y < 0.003) code = 700027;
  }
  const rec: SignInRecord = {
    id,
    createdDateTime: scene.time(t),
    appId: sp.id,
    appDisplayName: sp.name,
    ipAddress: origin.ip,
    correlationId: rng.guid(),
    conditionalAccessStatus: ev.status,
    isInteractive: false,
    tokenIssuerType: 'AzureAD',
    clientCredentialType: sp.credential,
    processingTimeInMilliseconds: 5 + Math.floor(rng.exponential(35)),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    resourceDisplayName: resource.name,
    resourceId: resource.id,
    resourceTenantId: DEMO_TENANT.id,
    resourceOwnerTenantId: MICROSOFT_SERVICES_TENANT_ID,
    appOwnerTenantId: sp.ownerTenantId,
    servicePrincipalId: sp.servicePrincipalId,
    servicePrincipalName: sp.name,
    signInEventTypes: EVENT_SERVICE_PRINCIPAL,
    flaggedForReview: false,
    isTenantRestricted: false,
    autonomousSystemNumber: origin.asn,
    crossTenantAccessType: 'none',
    uniqueTokenIdentifier: requestIdToUniqueTokenIdentifier(id),
    incomingTokenType: 'none',
    authenticationProtocol: 'none',
    status: status(code),
    location: origin.location,
    appliedConditionalAccessPolicies: ev.entries,
  };
  const rsp = dir.resourceServicePrincipalIds.get(resource.id);
  if (rsp !== undefined) rec.resourceServicePrincipalId = rsp;
  if (sp.credential === 'federatedIdentityCredential') {
    rec.federatedCredentialId = sp.federatedCredentialId;
  } else {
    rec.servicePrincipalCredentialKeyId = sp.keyId;
    if (sp.thumbprint !== null) rec.servicePrincipalCredentialThumbprint = sp.thumbprint;
  }
  scene.push(t, rec);
}

/** One managed identity sign-in (an Azure resource asking IMDS for a token). */
export function managedIdentityEvent(scene: Scene, t: number): void {
  const rng = scene.rng;
  const dir = scene.dir;
  let picker = miPickers.get(dir);
  if (!picker) {
    picker = new Weighted(dir.managedIdentities.map((m) => [m, m.weight] as const));
    miPickers.set(dir, picker);
  }
  const mi = picker.pick(rng);
  const resource = mi.resources[rng.int(mi.resources.length)] as AppFact;
  const id = rng.guid();
  const rec: SignInRecord = {
    id,
    createdDateTime: scene.time(t),
    appId: mi.appId,
    correlationId: rng.guid(),
    conditionalAccessStatus: 'notApplied',
    isInteractive: false,
    tokenIssuerType: 'AzureAD',
    clientCredentialType: 'managedIdentity',
    processingTimeInMilliseconds: rng.int(6),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    resourceDisplayName: resource.name,
    resourceId: resource.id,
    resourceTenantId: DEMO_TENANT.id,
    resourceOwnerTenantId: MICROSOFT_SERVICES_TENANT_ID,
    servicePrincipalId: mi.servicePrincipalId,
    servicePrincipalName: mi.name,
    signInEventTypes: EVENT_MANAGED_IDENTITY,
    flaggedForReview: false,
    isTenantRestricted: false,
    crossTenantAccessType: 'none',
    uniqueTokenIdentifier: requestIdToUniqueTokenIdentifier(id),
    incomingTokenType: 'none',
    authenticationProtocol: 'none',
    status: status(0),
    managedServiceIdentity: msiDetail(mi),
    appliedConditionalAccessPolicies: EMPTY,
  };
  const rsp = dir.resourceServicePrincipalIds.get(resource.id);
  if (rsp !== undefined) rec.resourceServicePrincipalId = rsp;
  scene.push(t, rec);
}
