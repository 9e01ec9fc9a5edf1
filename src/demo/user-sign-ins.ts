// User sign-ins of the demo tenant, interactive and non-interactive: members, guests and the other
// cross-tenant identities, with the flows that give several line items one correlation ID (MFA
// interrupted then completed or denied, wrong password then retry, "keep me signed in"), legacy
// authentication, risky sign-ins and a password-spray burst.
import type {
  AppliedConditionalAccessPolicy,
  AuthenticationDetail,
  AuthenticationRequirementPolicy,
  ConditionalAccessStatus,
  DeviceDetail,
  IncomingTokenType,
  NetworkLocationDetail,
  ProtocolType,
  RiskDetail,
  RiskLevel,
  RiskState,
  SessionLifetimePolicy,
  SignInAccessType,
  SignInLocation,
  SignInStatus,
} from '@microsoft/microsoft-graph-types-beta';
import { requestIdToUniqueTokenIdentifier } from '../model/unique-token-identifier.js';
import type { SignInRecord } from '../model/sign-in.js';
import {
  APPS,
  CLIENT_APP,
  METHOD,
  METHODS_USED,
  OS,
  PASSWORD_SOURCE,
  STEP,
  STEP_RESULT,
  USER_AGENTS,
  MICROSOFT_SERVICES_TENANT_ID,
  type AppFact,
  type ErrorCode,
  type MethodKey,
} from './catalog.js';
import { CLIENT, PLATFORM, RISK, TAG, evaluatePolicies, notEvaluated, type CaContext, type CaEvaluation } from './policies.js';
import { Weighted, hashInts, mix32, stableGuid, stableGuidOf, type Random } from './random.js';
import { EMPTY, NO_NETWORK_DETAILS, PROCESSING_CAE, PROCESSING_NO_CAE, namedLocation, status, statusWithDetails, type Scene } from './scene.js';
import {
  DEMO_TENANT,
  HOSTING,
  OFFICES,
  TRAVEL,
  CLOUD_REGIONS,
  CLOUD_ASN,
  addressPool,
  type AddressPool,
  type DemoApp,
  type DemoDevice,
  type DemoUser,
} from './tenant.js';
import { TICKS_PER_DAY, TICKS_PER_SECOND } from './timeline.js';

// ---------------------------------------------------------------------------------------------
// Applications people use, and how.

type Form = 'computer' | 'phone' | 'any';

interface ClientChoice {
  readonly app: AppFact;
  readonly resources: readonly AppFact[];
  readonly form: Form;
  readonly browser: boolean;
  /** The client asks for CAE-capable tokens. */
  readonly cae: boolean;
  /** Counts as an approved client app for Conditional Access. */
  readonly approved: boolean;
  readonly kind?: 'windowsSignIn' | 'cli' | 'lob';
  readonly lob?: DemoApp;
}

function choice(app: AppFact, resources: AppFact[], form: Form, browser: boolean, opts: Partial<ClientChoice> = {}): ClientChoice {
  return { app, resources, form, browser, cae: false, approved: false, ...opts };
}

const A = APPS;

/** Where the Windows logon lands on devices without Windows Hello: the desktop Office apps. */
const OFFICE_DESKTOP = choice(A.office, [A.exchange, A.sharePoint], 'computer', false, { cae: true });

function interactiveChoices(dir: Scene['dir'], developer: boolean): Weighted<ClientChoice> {
  const d = developer ? 1 : 0;
  return new Weighted<ClientChoice>([
    [choice(A.teams, [A.teamsServices], 'computer', false, { cae: true }), 14],
    [choice(A.office, [A.exchange, A.sharePoint], 'computer', false, { cae: true }), 12],
    [choice(A.exchange, [A.exchange], 'any', true), 8],
    [choice(A.officeHome, [A.officeHome], 'any', true), 8],
    [choice(A.sharePoint, [A.sharePoint], 'any', true), 7],
    [choice(A.teamsWeb, [A.teamsServices], 'computer', true), 3],
    [choice(A.outlookMobile, [A.exchange], 'phone', false, { cae: true, approved: true }), 8],
    [choice(A.teams, [A.teamsServices], 'phone', false, { cae: true, approved: true }), 5],
    [choice(A.authBroker, [A.deviceRegistration], 'phone', false), 2],
    [choice(A.companyPortal, [A.intune], 'phone', false, { approved: true }), 1],
    [choice(A.windowsSignIn, [A.aadGraph], 'computer', false, { kind: 'windowsSignIn' }), 8],
    [choice(A.edge, [A.graph], 'computer', false), 2],
    [choice(A.azurePortal, [A.azureManagement], 'computer', true), 0.5 + 10 * d],
    [choice(A.azureCli, [A.azureManagement], 'computer', false, { kind: 'cli' }), 4 * d],
    [choice(A.vsCode, [A.azureManagement, A.graph], 'computer', false), 3 * d],
    [choice(A.azurePowerShell, [A.azureManagement], 'computer', false), 1 * d],
    [choice(A.graphExplorer, [A.graph], 'computer', true), 1 * d],
    [choice(dir.apps.expenses, [dir.apps.expenses], 'any', true, { kind: 'lob', lob: dir.apps.expenses }), 3],
    [choice(dir.apps.hrPortal, [dir.apps.hrPortal], 'computer', true, { kind: 'lob', lob: dir.apps.hrPortal }), 2],
    [choice(dir.apps.fieldService, [dir.apps.fieldService], 'phone', false, { kind: 'lob', lob: dir.apps.fieldService }), 1],
    [choice(dir.apps.travel, [dir.apps.travel], 'any', true, { kind: 'lob', lob: dir.apps.travel }), 1],
  ]);
}

function nonInteractiveChoices(dir: Scene['dir'], developer: boolean): Weighted<ClientChoice> {
  const d = developer ? 1 : 0;
  return new Weighted<ClientChoice>([
    [choice(A.teams, [A.teamsServices, A.graph, A.exchange, A.sharePoint, A.skype], 'computer', false, { cae: true }), 20],
    [choice(A.teams, [A.teamsServices, A.graph, A.exchange], 'phone', false, { cae: true, approved: true }), 8],
    [choice(A.office, [A.exchange, A.sharePoint, A.graph], 'computer', false, { cae: true }), 18],
    [choice(A.outlookMobile, [A.exchange, A.graph], 'phone', false, { cae: true, approved: true }), 10],
    [choice(A.oneDriveSync, [A.sharePoint], 'computer', false, { cae: true }), 10],
    [choice(A.edge, [A.graph], 'computer', false, { cae: true }), 5],
    [choice(A.authBroker, [A.graph], 'phone', false), 4],
    [choice(A.companyPortal, [A.intune], 'phone', false, { approved: true }), 2],
    [choice(A.officeHome, [A.graph], 'computer', true), 3],
    [choice(A.teamsWeb, [A.teamsServices, A.graph], 'computer', true), 3],
    [choice(A.azurePortal, [A.azureManagement, A.graph], 'computer', true), 0.3 + 6 * d],
    [choice(A.azureCli, [A.azureManagement, A.keyVault, A.graph], 'computer', false), 4 * d],
    [choice(A.vsCode, [A.azureManagement], 'computer', false), 2 * d],
    [choice(dir.apps.fieldService, [dir.apps.fieldService], 'phone', false, { kind: 'lob', lob: dir.apps.fieldService }), 1],
  ]);
}

function guestChoices(dir: Scene['dir']): Weighted<ClientChoice> {
  return new Weighted<ClientChoice>([
    [choice(A.teams, [A.teamsServices], 'computer', false, { cae: true }), 10],
    [choice(A.teamsWeb, [A.teamsServices], 'computer', true), 4],
    [choice(A.sharePoint, [A.sharePoint], 'computer', true), 8],
    [choice(A.officeHome, [A.officeHome], 'computer', true), 2],
    [choice(dir.apps.expenses, [dir.apps.expenses], 'computer', true, { kind: 'lob', lob: dir.apps.expenses }), 1],
  ]);
}

function guestNonInteractiveChoices(): Weighted<ClientChoice> {
  return new Weighted<ClientChoice>([
    [choice(A.teams, [A.teamsServices, A.graph, A.sharePoint], 'computer', false, { cae: true }), 10],
    [choice(A.sharePoint, [A.sharePoint], 'computer', true), 3],
    [choice(A.teamsWeb, [A.teamsServices], 'computer', true), 2],
  ]);
}

const ADMIN_CHOICES = new Weighted<ClientChoice>([
  [choice(A.azurePortal, [A.azureManagement], 'computer', true), 5],
  [choice(A.office365Portal, [A.office365Portal], 'computer', true), 3],
  [choice(A.azurePowerShell, [A.azureManagement], 'computer', false), 1],
]);

const DIRECT_CONNECT_CHOICES = new Weighted<ClientChoice>([
  [choice(A.teams, [A.teamsServices, A.sharePoint], 'computer', false, { cae: true }), 5],
  [choice(A.teamsWeb, [A.teamsServices], 'computer', true), 1],
]);

const PASSTHROUGH_CHOICES = new Weighted<ClientChoice>([
  [choice(A.teams, [A.teamsServices, A.graph], 'computer', false, { cae: true }), 4],
  [choice(A.sharePoint, [A.sharePoint], 'computer', true), 1],
]);

/** Tables built once per directory. */
interface Tables {
  interactive: Weighted<ClientChoice>;
  interactiveDev: Weighted<ClientChoice>;
  nonInteractive: Weighted<ClientChoice>;
  nonInteractiveDev: Weighted<ClientChoice>;
  guest: Weighted<ClientChoice>;
  guestNonInteractive: Weighted<ClientChoice>;
  lobOwners: Map<string, string>;
  audiences: Map<string, string[]>;
}

const tableCache = new WeakMap<Scene['dir'], Tables>();

function tables(scene: Scene): Tables {
  let t = tableCache.get(scene.dir);
  if (!t) {
    const dir = scene.dir;
    t = {
      interactive: interactiveChoices(dir, false),
      interactiveDev: interactiveChoices(dir, true),
      nonInteractive: nonInteractiveChoices(dir, false),
      nonInteractiveDev: nonInteractiveChoices(dir, true),
      guest: guestChoices(dir),
      guestNonInteractive: guestNonInteractiveChoices(),
      lobOwners: new Map(Object.values(dir.apps).map((a) => [a.id, a.ownerTenantId])),
      audiences: new Map(),
    };
    tableCache.set(dir, t);
  }
  return t;
}

function ownerOf(tb: Tables, appId: string): string {
  return tb.lobOwners.get(appId) ?? MICROSOFT_SERVICES_TENANT_ID;
}

function audiencesOf(tb: Tables, resourceId: string): string[] {
  let a = tb.audiences.get(resourceId);
  if (!a) {
    a = [resourceId];
    tb.audiences.set(resourceId, a);
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Where a sign-in comes from.

interface Net {
  ip: string;
  asn: number;
  location: SignInLocation;
  trusted: boolean;
  allowed: boolean;
  details: NetworkLocationDetail[];
}

function hex16(n: number): string {
  return (n & 0xffff).toString(16);
}

function v6(pool: AddressPool, a: number, b: number): string {
  return `${pool.v6Prefix}${hex16(a >>> 16)}:${hex16(a)}:${hex16(b >>> 16)}:${hex16(b)}:${hex16(mix32(a ^ b))}`;
}

function poolNet(pool: AddressPool, ip: string): Net {
  return {
    ip,
    asn: pool.asn,
    location: pool.place.location,
    trusted: false,
    allowed: pool.place.allowed,
    details: pool.place.allowed ? namedLocation('Allowed countries', false) : NO_NETWORK_DETAILS,
  };
}

/** The UTC instant of a tick, in ms. */
function utcMs(scene: Scene, t: number): number {
  return scene.startMs + t / 10_000;
}

function localHourAndDay(ms: number, utcOffset: number): [number, number] {
  const hour = Math.floor((ms + utcOffset * 3_600_000) / 3_600_000);
  return [((hour % 24) + 24) % 24, ((((Math.floor(hour / 24) + 4) % 7) + 7) % 7)];
}

/** A member's network for a sign-in: office, home, mobile, or somewhere on a trip. */
function memberNet(scene: Scene, user: DemoUser, device: DemoDevice, t: number): Net {
  const rng = scene.rng;
  const ms = utcMs(scene, t);
  const day = Math.floor(t / TICKS_PER_DAY);
  const week = Math.floor(day / 7);
  const trip = hashInts(user.index, week, scene.seed, 0x7a11);
  if (trip % 1000 < 35 && user.mobileNetworks.length > 0) {
    // On a trip this week: mostly allowed countries; a few to places the country policy blocks.
    const h = mix32(trip);
    const dest = h % 100 < 8 ? (TRAVEL[9 + (h % 3)] as (typeof TRAVEL)[number]) : (TRAVEL[h % 9] as (typeof TRAVEL)[number]);
    const pool = addressPool(dest[0], dest[1]);
    return poolNet(pool, `${pool.v4Prefix}${2 + (mix32(h ^ day) % 250)}`);
  }
  const office = user.office ?? (OFFICES[0] as (typeof OFFICES)[number]);
  const [hour, dow] = localHourAndDay(ms, office.place.utcOffset);
  const workHours = dow >= 1 && dow <= 5 && hour >= 8 && hour < 18;
  const officeDay = hashInts(user.index, day, 0x0ff1ce) % 100 < 60;
  if (workHours && officeDay && rng.chance(device.mobile ? 0.7 : 0.92)) {
    const ip = rng.chance(0.2) ? office.egressV6 : (office.egress[rng.int(office.egress.length)] as string);
    return {
      ip,
      asn: office.asn,
      location: office.place.location,
      trusted: true,
      allowed: true,
      details: namedLocation(office.name, true),
    };
  }
  if (user.mobileNetworks.length > 0 && rng.chance(device.mobile ? 0.45 : 0.06)) {
    const pool = user.mobileNetworks[rng.int(user.mobileNetworks.length)] as AddressPool;
    const ip = rng.chance(0.4) ? v6(pool, rng.u32(), rng.u32()) : `${pool.v4Prefix}${rng.between(2, 254)}`;
    return poolNet(pool, ip);
  }
  const ip = hashInts(user.index, 0x6006) % 4 === 0 ? v6(user.home, hashInts(user.index, 1), hashInts(user.index, 2)) : user.homeIp;
  return poolNet(user.home, ip);
}

function externalNet(user: DemoUser): Net {
  return poolNet(user.home, user.homeIp);
}

/** Cross-tenant technicians' addresses are shown partly redacted (semantics.md §6.5). */
function redactedNet(user: DemoUser): Net {
  const n = externalNet(user);
  return { ...n, ip: `${user.home.v4Prefix}XXX` };
}

function hostingNet(rng: Random, i?: number): Net {
  const h = HOSTING[i ?? rng.int(HOSTING.length)] as (typeof HOSTING)[number];
  return { ip: `${h.v4Prefix}${rng.between(2, 254)}`, asn: h.asn, location: h.place.location, trusted: false, allowed: h.place.allowed, details: NO_NETWORK_DETAILS };
}

// ---------------------------------------------------------------------------------------------
// Risk.

interface Risk {
  readonly detail: RiskDetail;
  readonly aggregated: RiskLevel;
  readonly during: RiskLevel;
  readonly state: RiskState;
  readonly events: string[];
  /** For Conditional Access. */
  readonly level: number;
}

const NO_RISK: Risk = { detail: 'none', aggregated: 'none', during: 'none', state: 'none', events: EMPTY, level: RISK.none };

function risk(level: 'low' | 'medium' | 'high', events: string[], state: RiskState = 'atRisk', detail: RiskDetail = 'none'): Risk {
  return { detail, aggregated: level, during: level, state, events, level: RISK[level] };
}

const LOW_UNFAMILIAR = risk('low', ['unfamiliarFeatures']);
const LOW_DISMISSED = risk('low', ['unfamiliarFeatures'], 'dismissed', 'adminDismissedAllRiskForUser');
const LOW_SAFE = risk('low', ['unfamiliarFeatures'], 'confirmedSafe', 'adminConfirmedSigninSafe');
const MEDIUM_ANONYMOUS = risk('medium', ['anonymizedIPAddress']);
const MEDIUM_TRAVEL = risk('medium', ['unlikelyTravel']);
const HIGH_MALICIOUS = risk('high', ['anonymizedIPAddress', 'maliciousIPAddress']);
const SPRAY_HIT: Risk = { detail: 'none', aggregated: 'medium', during: 'none', state: 'atRisk', events: ['passwordSpray'], level: RISK.none };

function remediated(r: Risk): Risk {
  return { ...r, state: 'remediated', detail: 'userPassedMFADrivenByRiskBasedPolicy' };
}

// ---------------------------------------------------------------------------------------------
// One attempt: everything about a sign-in that stays the same across the line items of a flow.

interface Attempt {
  user: DemoUser;
  /** Null for identities whose names are not shown (Microsoft support) or unknown (typo). */
  showUser: boolean;
  upnTyped: string | null;
  app: AppFact;
  appOwner: string;
  resource: AppFact;
  resourceOwner: string;
  resourceTenantId: string;
  clientApp: string;
  clientType: number;
  device: DemoDevice;
  deviceDetail: DeviceDetail;
  platformBit: number;
  /** Empty when the client sends none. */
  userAgent: string;
  net: Net;
  protocol: ProtocolType;
  incoming: IncomingTokenType;
  interactive: boolean;
  correlationId: string;
  sessionId: string;
  access: SignInAccessType;
  risk: Risk;
  deviceCode: boolean;
  approved: boolean;
  cae: boolean;
  audiences: string[];
  /** Contoso's own policies apply (not for passthrough: the resource tenant's policies do). */
  evaluated: boolean;
}

const REQ_CA: AuthenticationRequirementPolicy[] = [{ requirementProvider: 'multiConditionalAccess', detail: 'Conditional Access' }];
const REQ_USER: AuthenticationRequirementPolicy[] = [{ requirementProvider: 'user', detail: 'Per-user MFA' }];
const REQ_CA_USER: AuthenticationRequirementPolicy[] = [...REQ_CA, ...REQ_USER];
const SIF: SessionLifetimePolicy[] = [{ expirationRequirement: 'signInFrequencyPeriodicReauthentication', detail: 'Sign-in frequency (periodic re-authentication)' }];
const EVENT_INTERACTIVE = ['interactiveUser'];
const EVENT_NON_INTERACTIVE = ['nonInteractiveUser'];
const SINGLE = 'singleFactorAuthentication';
const MULTI = 'multiFactorAuthentication';

function requirementPolicies(byCa: boolean, user: DemoUser): AuthenticationRequirementPolicy[] {
  if (byCa && user.perUserMfa) return REQ_CA_USER;
  if (byCa) return REQ_CA;
  if (user.perUserMfa) return REQ_USER;
  return EMPTY;
}

/** What changes between line items of one attempt. */
interface Parts {
  status: SignInStatus;
  entries: AppliedConditionalAccessPolicy[];
  caStatus: ConditionalAccessStatus;
  details: AuthenticationDetail[];
  requirement: string;
  requirementPolicies: AuthenticationRequirementPolicy[];
  methodsUsed: string[];
  originalRequestId: string | null;
  processingMs: number;
  risk: Risk;
  sessionLifetime: SessionLifetimePolicy[] | null;
}

function row(scene: Scene, t: number, method: string, step: string, result: string, succeeded: boolean, methodDetail?: string): AuthenticationDetail {
  const r: AuthenticationDetail = { authenticationStepDateTime: scene.time(t), authenticationMethod: method };
  if (methodDetail !== undefined) r.authenticationMethodDetail = methodDetail;
  r.succeeded = succeeded;
  r.authenticationStepResultDetail = result;
  r.authenticationStepRequirement = step;
  return r;
}

function methodDetail(user: DemoUser, method: MethodKey): string | undefined {
  if (method === 'password') return user.passwordSource;
  if (method === 'sms') return user.phone;
  return undefined;
}

const methodsUsedCache = new Map<string, string[]>();

function methodsUsed(...methods: MethodKey[]): string[] {
  const names = methods.map((m) => METHODS_USED[m]).filter((m): m is string => m !== undefined);
  const key = names.join('|');
  let v = methodsUsedCache.get(key);
  if (!v) {
    v = names;
    methodsUsedCache.set(key, v);
  }
  return v;
}

/** A copy of a record without some properties (for the few line items that lack them). */
function without(rec: SignInRecord, drop: readonly string[]): SignInRecord {
  const out: Record<string, unknown> = {};
  const r = rec as Record<string, unknown>;
  for (const k in r) if (!drop.includes(k)) out[k] = r[k];
  return out as SignInRecord;
}

/** Builds one user line item and schedules it; returns its id (the request ID). */
function emit(scene: Scene, a: Attempt, t: number, p: Parts): string {
  const id = scene.rng.guid();
  const u = a.user;
  const local = a.resourceTenantId === DEMO_TENANT.id;
  const rsp = local ? scene.dir.resourceServicePrincipalIds.get(a.resource.id) : undefined;
  // One literal for the common shape (fast to build and to serialize); rare variations after.
  let rec: SignInRecord = {
    id,
    createdDateTime: scene.time(t),
    userDisplayName: u.displayName,
    userPrincipalName: a.upnTyped ?? u.upn,
    userId: u.id,
    appId: a.app.id,
    appDisplayName: a.app.name,
    ipAddress: a.net.ip,
    clientAppUsed: a.clientApp,
    userAgent: a.userAgent,
    correlationId: a.correlationId,
    conditionalAccessStatus: p.caStatus,
    originalRequestId: p.originalRequestId ?? id,
    isInteractive: a.interactive,
    tokenIssuerType: 'AzureAD',
    clientCredentialType: 'none',
    processingTimeInMilliseconds: p.processingMs,
    riskDetail: p.risk.detail,
    riskLevelAggregated: p.risk.aggregated,
    riskLevelDuringSignIn: p.risk.during,
    riskState: p.risk.state,
    riskEventTypes_v2: p.risk.events,
    resourceDisplayName: a.resource.name,
    resourceId: a.resource.id,
    resourceServicePrincipalId: rsp ?? '',
    resourceTenantId: a.resourceTenantId,
    resourceOwnerTenantId: a.resourceOwner,
    homeTenantId: u.homeTenantId,
    homeTenantName: DEMO_TENANT.name,
    appOwnerTenantId: a.appOwner,
    authenticationMethodsUsed: p.methodsUsed,
    authenticationRequirement: p.requirement,
    signInEventTypes: a.interactive ? EVENT_INTERACTIVE : EVENT_NON_INTERACTIVE,
    userType: u.kind === 'guest' ? 'guest' : 'member',
    flaggedForReview: false,
    isTenantRestricted: false,
    autonomousSystemNumber: a.net.asn,
    crossTenantAccessType: a.access,
    uniqueTokenIdentifier: requestIdToUniqueTokenIdentifier(id),
    incomingTokenType: a.incoming,
    authenticationProtocol: a.protocol,
    sessionId: a.sessionId,
    status: p.status,
    deviceDetail: a.deviceDetail,
    location: a.net.location,
    appliedConditionalAccessPolicies: p.entries,
    conditionalAccessAudiences: a.audiences,
    authenticationProcessingDetails: a.cae ? PROCESSING_CAE : PROCESSING_NO_CAE,
    networkLocationDetails: a.net.details,
    authenticationDetails: p.details,
    authenticationRequirementPolicies: p.requirementPolicies,
  };
  if (a.interactive) {
    rec.signInIdentifier = a.upnTyped ?? u.upn;
    rec.signInIdentifierType = 'userPrincipalName';
  }
  if (a.deviceCode) rec.originalTransferMethod = 'deviceCodeFlow';
  if (p.sessionLifetime !== null) rec.sessionLifetimePolicies = p.sessionLifetime;
  const person = u.kind === 'member' || u.kind === 'guest';
  if (!a.showUser || !person || a.app.name === '' || a.resource.id === '' || rsp === undefined || a.access !== 'none' || a.sessionId === '') {
    const drop: string[] = [];
    if (!a.showUser) drop.push('userDisplayName', 'userId', 'userType');
    if (!a.showUser && a.upnTyped === null) drop.push('userPrincipalName');
    if (!person) drop.push('userType');
    if (a.app.name === '') drop.push('appDisplayName', 'appOwnerTenantId');
    if (a.resource.id === '') drop.push('resourceDisplayName', 'resourceId', 'resourceOwnerTenantId');
    if (rsp === undefined) drop.push('resourceServicePrincipalId');
    // The home tenant's name is not shown when a sign-in crosses a tenant boundary (privacy, §6.7).
    if (a.access !== 'none') drop.push('homeTenantName');
    if (a.sessionId === '') drop.push('sessionId');
    rec = without(rec, drop);
  }
  scene.push(t, rec);
  return id;
}

const caCtx: CaContext = {
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
  servicePrincipalRisk: 0,
};

const NOT_EVALUATED_NONE: CaEvaluation = { entries: EMPTY, status: 'notApplied', errorCode: 0, needsMfa: false, mfaRequired: false, signInFrequency: false };

/** Conditional Access for an attempt with or without MFA (and with a phishing-resistant method or not). */
function evaluate(scene: Scene, a: Attempt, mfa: boolean, phishingResistant = false): CaEvaluation {
  if (!a.evaluated) return NOT_EVALUATED_NONE;
  const c = caCtx;
  c.tags = a.user.tags;
  c.appId = a.app.id;
  c.resourceId = a.resource.id;
  c.clientType = a.clientType;
  c.platform = a.platformBit;
  c.trustedLocation = a.net.trusted;
  c.countryAllowed = a.net.allowed;
  c.signInRisk = a.risk.level;
  c.userRisk = RISK.none;
  c.compliant = a.device.compliant;
  c.hybridJoined = a.device.hybridJoined;
  c.deviceCodeFlow = a.deviceCode;
  c.approvedClientApp = a.approved;
  c.mfa = mfa;
  c.phishingResistant = phishingResistant;
  return evaluatePolicies(scene.userPolicies, c);
}

function notEvaluatedEntries(scene: Scene, a: Attempt): AppliedConditionalAccessPolicy[] {
  return a.evaluated ? notEvaluated(scene.userPolicies) : EMPTY;
}

function interactiveMs(rng: Random): number {
  return 60 + Math.floor(rng.exponential(180));
}

function nonInteractiveMs(rng: Random): number {
  return 15 + Math.floor(rng.exponential(70));
}

function seconds(rng: Random, lo: number, hi: number): number {
  return Math.floor((lo + rng.float() * (hi - lo)) * TICKS_PER_SECOND);
}

/** A record whose sign-in stopped before Conditional Access (failure or interrupt). */
function stopped(scene: Scene, a: Attempt, t: number, code: ErrorCode, details: AuthenticationDetail[], requirement: string, original: string | null): string {
  return emit(scene, a, t, {
    status: status(code),
    entries: notEvaluatedEntries(scene, a),
    caStatus: 'notApplied',
    details,
    requirement,
    requirementPolicies: EMPTY,
    methodsUsed: EMPTY,
    originalRequestId: original,
    processingMs: interactiveMs(scene.rng),
    risk: a.risk,
    sessionLifetime: null,
  });
}

// ---------------------------------------------------------------------------------------------
// Building attempts.

function deviceFor(rng: Random, user: DemoUser, form: Form): DemoDevice {
  const devs = user.devices;
  const primary = devs[0] as DemoDevice;
  const phone = devs.find((d) => d.mobile);
  if (form === 'phone') return phone ?? primary;
  const others = devs.filter((d) => !d.mobile && d !== primary);
  if (form === 'computer') return others.length > 0 && rng.chance(0.08) ? (rng.pick(others) as DemoDevice) : primary;
  const x = rng.float();
  if (phone && x < 0.18) return phone;
  if (others.length > 0 && x < 0.26) return rng.pick(others) as DemoDevice;
  return primary;
}

const KIND_OFFSET: Record<DemoUser['kind'], number> = { member: 0, guest: 1, directConnect: 2, serviceProvider: 3, microsoftSupport: 4 };

/** A session per person, device and day: the sign-ins of one day on one device share it. */
function sessionOf(scene: Scene, user: DemoUser, device: DemoDevice, t: number, salt: number): string {
  const who = (KIND_OFFSET[user.kind] * 4096 + user.index) * 16 + user.devices.indexOf(device);
  return stableGuidOf(who, Math.floor(t / TICKS_PER_DAY), scene.seed, 0x5e55 + salt);
}

function attempt(scene: Scene, user: DemoUser, c: ClientChoice, device: DemoDevice, net: Net, t: number, interactive: boolean, salt: number): Attempt {
  const tb = tables(scene);
  const resource = c.resources[scene.rng.int(c.resources.length)] as AppFact;
  const browser = c.browser;
  const clientApp = browser ? CLIENT_APP.browser : CLIENT_APP.mobileDesktop;
  const desktopWam = !browser && device.platform === 'windows' && device.registered;
  return {
    user,
    showUser: user.kind !== 'microsoftSupport',
    upnTyped: null,
    app: c.app,
    appOwner: ownerOf(tb, c.app.id),
    resource,
    resourceOwner: ownerOf(tb, resource.id),
    resourceTenantId: DEMO_TENANT.id,
    clientApp,
    clientType: browser ? CLIENT.browser : CLIENT.mobileDesktop,
    device,
    deviceDetail: browser ? device.browserDetail : device.appDetail,
    platformBit: device.platformBit,
    userAgent: browser || !desktopWam ? device.userAgent : USER_AGENTS.windowsWam,
    net,
    protocol: interactive ? (c.lob?.saml ? 'saml20' : 'oAuth2') : 'none',
    incoming: 'none',
    interactive,
    correlationId: scene.rng.guid(),
    sessionId: sessionOf(scene, user, device, t, salt),
    access: user.access,
    risk: NO_RISK,
    deviceCode: false,
    approved: c.approved,
    cae: c.cae && (resource === A.exchange || resource === A.sharePoint || resource === A.graph || resource === A.teamsServices) && scene.rng.chance(0.6),
    audiences: audiencesOf(tb, resource.id),
    evaluated: true,
  };
}

// ---------------------------------------------------------------------------------------------
// Interactive flows.

/**
 * Signs a user in who has passed (or is about to pass) primary authentication, running the MFA
 * flow Conditional Access or per-user MFA asks for. `first` holds the primary-authentication rows
 * (shown again on later line items of the flow); `mfaBefore` says whether the session already
 * carries an MFA claim.
 */
function finishSignIn(
  scene: Scene,
  a: Attempt,
  t: number,
  first: AuthenticationDetail[],
  firstMethods: MethodKey[],
  mfaBefore: boolean,
  phishingResistant: boolean,
  original: string | null,
): void {
  const rng = scene.rng;
  const user = a.user;
  const ev = evaluate(scene, a, mfaBefore, phishingResistant);
  const perUser = user.perUserMfa && !mfaBefore && a.evaluated;
  if (ev.errorCode !== 0) {
    // Blocked or a device control failed; MFA is not asked for once access cannot be granted.
    emit(scene, a, t, {
      status: status(ev.errorCode as ErrorCode),
      entries: ev.entries,
      caStatus: ev.status,
      details: first,
      requirement: ev.mfaRequired ? MULTI : SINGLE,
      requirementPolicies: requirementPolicies(ev.mfaRequired, user),
      methodsUsed: methodsUsed(...firstMethods),
      originalRequestId: original,
      processingMs: interactiveMs(rng),
      risk: a.risk,
      sessionLifetime: null,
    });
    return;
  }
  if (!ev.needsMfa && !perUser) {
    emit(scene, a, t, {
      status: status(0),
      entries: ev.entries,
      caStatus: ev.status,
      details: first,
      requirement: ev.mfaRequired ? MULTI : SINGLE,
      requirementPolicies: ev.mfaRequired || (user.perUserMfa && a.evaluated) ? requirementPolicies(ev.mfaRequired, user) : EMPTY,
      methodsUsed: methodsUsed(...firstMethods),
      originalRequestId: original,
      processingMs: interactiveMs(rng),
      risk: mfaBefore && a.risk.level === RISK.medium ? remediated(a.risk) : a.risk,
      sessionLifetime: ev.signInFrequency ? SIF : null,
    });
    return;
  }
  // MFA is needed: the first line item is an interrupt, then the user answers the prompt.
  const reqPolicies = requirementPolicies(ev.mfaRequired, user);
  const interruptCode: ErrorCode = a.clientType === CLIENT.browser ? 50074 : 50076;
  const interruptId = emit(scene, a, t, {
    status: status(interruptCode),
    entries: notEvaluatedEntries(scene, a),
    caStatus: 'notApplied',
    details: first,
    requirement: MULTI,
    requirementPolicies: reqPolicies,
    methodsUsed: methodsUsed(...firstMethods),
    originalRequestId: original,
    processingMs: interactiveMs(rng),
    risk: a.risk,
    sessionLifetime: null,
  });
  const orig = original ?? interruptId;
  const method = user.mfaMethod;
  let tt = t;
  let denials = rng.chance(0.07) ? 1 + (rng.chance(0.3) ? rng.int(3) : 0) : 0;
  while (scene.budget > 0) {
    tt += seconds(rng, 8, denials > 0 ? 70 : 35);
    if (denials > 0) {
      const result = method === 'push' ? (rng.chance(0.6) ? STEP_RESULT.declined : STEP_RESULT.noResponse) : STEP_RESULT.wrongCode;
      const failedEv = evaluate(scene, a, false, false);
      emit(scene, a, tt, {
        status: statusWithDetails(500121, result),
        entries: failedEv.entries,
        caStatus: failedEv.status,
        details: [...first, row(scene, tt, METHOD[method], STEP.mfa, result, false, methodDetail(user, method))],
        requirement: MULTI,
        requirementPolicies: reqPolicies,
        methodsUsed: methodsUsed(...firstMethods),
        originalRequestId: orig,
        processingMs: interactiveMs(rng) + 400,
        risk: a.risk,
        sessionLifetime: null,
      });
      denials--;
      // Some give up after a denial (or were never the ones signing in).
      if (rng.chance(0.35)) return;
      continue;
    }
    const done = evaluate(scene, a, true, phishingResistant);
    const mfaRow = row(scene, tt, METHOD[method], STEP.mfa, STEP_RESULT.mfaCompleted, true, methodDetail(user, method));
    const details = [...first, mfaRow];
    if (a.clientType === CLIENT.browser && rng.chance(0.3) && scene.budget > 1) {
      // "Keep me signed in?" is an interrupt of its own before the final line item.
      emit(scene, a, tt, {
        status: status(50140),
        entries: notEvaluatedEntries(scene, a),
        caStatus: 'notApplied',
        details,
        requirement: MULTI,
        requirementPolicies: reqPolicies,
        methodsUsed: methodsUsed(...firstMethods, method),
        originalRequestId: orig,
        processingMs: interactiveMs(rng),
        risk: a.risk,
        sessionLifetime: null,
      });
      tt += seconds(rng, 1, 6);
      if (scene.budget <= 0) return;
    }
    emit(scene, a, tt, {
      status: status(done.errorCode as 0 | ErrorCode),
      entries: done.entries,
      caStatus: done.status,
      details,
      requirement: MULTI,
      requirementPolicies: reqPolicies,
      methodsUsed: methodsUsed(...firstMethods, method),
      originalRequestId: orig,
      processingMs: interactiveMs(rng) + 250,
      risk: a.risk.level === RISK.medium ? remediated(a.risk) : a.risk,
      sessionLifetime: done.signInFrequency ? SIF : null,
    });
    return;
  }
}

function passwordRow(scene: Scene, t: number, user: DemoUser, ok: boolean): AuthenticationDetail {
  return row(scene, t, METHOD.password, STEP.primary, ok ? STEP_RESULT.correctPassword : STEP_RESULT.invalidPassword, ok, user.passwordSource);
}

function claimRows(scene: Scene, t: number, mfa: boolean): AuthenticationDetail[] {
  const first = row(scene, t, METHOD.previouslySatisfied, STEP.primary, STEP_RESULT.firstFactorByClaim, true);
  return mfa ? [first, row(scene, t, METHOD.previouslySatisfied, STEP.mfa, STEP_RESULT.mfaByClaim, true)] : [first];
}

/** Interactive sign-in of a member of the tenant. */
function memberInteractive(scene: Scene, t: number, user: DemoUser): void {
  const rng = scene.rng;
  const tb = tables(scene);
  const developer = (user.tags & TAG.developer) !== 0;
  let c = (developer ? tb.interactiveDev : tb.interactive).pick(rng);
  let device = deviceFor(rng, user, c.form);
  if (c.kind === 'windowsSignIn' && (device.platform !== 'windows' || !device.registered)) {
    c = OFFICE_DESKTOP;
    device = deviceFor(rng, user, c.form);
  }
  let net = memberNet(scene, user, device, t);
  let a = attempt(scene, user, c, device, net, t, true, 0);

  if (user.disabled) {
    stopped(scene, a, t, 50057, EMPTY, SINGLE, null);
    return;
  }
  if (c.kind === 'windowsSignIn') {
    // Windows Hello for Business at the Windows logon: a bootstrap sign-in CA does not evaluate (§3.4).
    a.protocol = 'none';
    a.evaluated = false;
    a.audiences = EMPTY;
    a.userAgent = USER_AGENTS.windowsWam;
    emit(scene, a, t, {
      status: status(0),
      entries: EMPTY,
      caStatus: 'notApplied',
      details: [row(scene, t, METHOD.whfb, STEP.primary, STEP_RESULT.mfaCompleted, true)],
      requirement: SINGLE,
      requirementPolicies: EMPTY,
      methodsUsed: EMPTY,
      originalRequestId: null,
      processingMs: interactiveMs(rng),
      risk: NO_RISK,
      sessionLifetime: null,
    });
    return;
  }
  if (c.kind === 'cli' && rng.chance(0.25)) {
    // `az login --use-device-code`: the device code flow, which CA009 blocks.
    a.deviceCode = true;
    a.protocol = 'deviceCode';
  }

  // Sign-in risk on a small share; anonymised and hostile networks replace the user's own.
  const r = rng.float();
  if (r < 0.001) {
    net = hostingNet(rng);
    a = { ...a, net, risk: HIGH_MALICIOUS };
  } else if (r < 0.004) {
    net = hostingNet(rng);
    a = { ...a, net, risk: MEDIUM_ANONYMOUS };
  } else if (!net.allowed && r < 0.3) {
    a.risk = MEDIUM_TRAVEL;
  } else if (r < 0.016) {
    a.risk = rng.chance(0.7) ? LOW_UNFAMILIAR : rng.chance(0.6) ? LOW_DISMISSED : LOW_SAFE;
  }

  const lob = c.lob;
  if (lob?.assignmentRequired && hashInts(user.index, 0xa551) % 100 < 6) {
    // Not assigned to the app: primary authentication succeeds, the app refuses.
    const details = [passwordRow(scene, t, user, true)];
    stopped(scene, a, t, 50105, details, SINGLE, null);
    return;
  }

  const x = rng.float();
  if (x < 0.035) {
    // Wrong password; most retry within seconds and get in.
    const id = stopped(scene, a, t, 50126, [passwordRow(scene, t, user, false)], SINGLE, null);
    if (scene.budget <= 0 || rng.chance(0.3)) return;
    const t2 = t + seconds(rng, 4, 30);
    finishSignIn(scene, a, t2, [passwordRow(scene, t2, user, true)], ['password'], false, false, id);
    return;
  }
  if (x < 0.06) {
    // Silent single sign-on found no session (prompt=none): "user not signed in".
    stopped(scene, a, t, 50058, EMPTY, SINGLE, null);
    return;
  }
  if (x < 0.065) {
    // Expired password: in the cloud (50055) or in on-premises AD for synchronized users (50144).
    stopped(scene, a, t, user.passwordSource === PASSWORD_SOURCE.hashSync ? 50144 : 50055, [passwordRow(scene, t, user, true)], SINGLE, null);
    return;
  }
  if (x < 0.069) {
    // Typo in the user name: no such user in the directory.
    const typo = `${user.upn.slice(0, 2)}${user.upn.slice(3)}`;
    stopped(scene, { ...a, showUser: false, upnTyped: typo }, t, 50034, EMPTY, SINGLE, null);
    return;
  }
  if (x < 0.071) {
    // A mistyped or deleted application id.
    const unknown: AppFact = { id: stableGuid(`contoso-demo:unknown-app:${rng.int(4)}`), name: '' };
    stopped(scene, { ...a, app: unknown, resource: { id: '', name: '' }, audiences: EMPTY }, t, 700016, EMPTY, SINGLE, null);
    return;
  }
  if (x < 0.075 && lob === scene.dir.apps.travel) {
    stopped(scene, a, t, 65001, [passwordRow(scene, t, user, true)], SINGLE, null);
    return;
  }
  if (x < 0.078 && device.mobile) {
    // The device must authenticate first: an interrupt, then the sign-in goes on.
    const id = stopped(scene, a, t, 50097, claimRows(scene, t, false), SINGLE, null);
    if (scene.budget <= 0) return;
    const t2 = t + seconds(rng, 2, 10);
    finishSignIn(scene, { ...a, incoming: 'primaryRefreshToken' }, t2, claimRows(scene, t2, true), EMPTY, true, false, id);
    return;
  }
  if (x < 0.08) {
    stopped(scene, a, t, 50158, [passwordRow(scene, t, user, true)], MULTI, null);
    return;
  }
  if (x < 0.082 && device.hybridJoined && c.browser) {
    // Seamless SSO's Kerberos ticket had expired; the user types the password instead.
    const id = stopped(scene, a, t, 81010, EMPTY, SINGLE, null);
    if (scene.budget <= 0) return;
    const t2 = t + seconds(rng, 5, 20);
    finishSignIn(scene, a, t2, [passwordRow(scene, t2, user, true)], ['password'], false, false, id);
    return;
  }
  if (x < 0.083) {
    stopped(scene, a, t, 50072, [passwordRow(scene, t, user, true)], MULTI, null);
    return;
  }

  // Single sign-on with the device's primary refresh token or the browser's session.
  const sso = rng.float();
  if (device.registered && sso < 0.65) {
    const mfa = rng.chance(device.platform === 'windows' ? 0.95 : 0.88);
    finishSignIn(scene, { ...a, incoming: 'primaryRefreshToken' }, t, claimRows(scene, t, mfa), EMPTY, mfa, false, null);
    return;
  }
  if (sso < 0.82) {
    const mfa = rng.chance(0.9);
    finishSignIn(scene, a, t, claimRows(scene, t, mfa), EMPTY, mfa, false, null);
    return;
  }
  // A fresh sign-in: passwordless when the user has a method for it, else a password.
  if (user.passwordless !== null && rng.chance(0.65)) {
    const m = user.passwordless;
    const details = [row(scene, t, METHOD[m], STEP.primary, STEP_RESULT.mfaCompleted, true)];
    finishSignIn(scene, a, t, details, [m], true, m === 'fido2' || m === 'certificate', null);
    return;
  }
  if (rng.chance(0.01)) {
    // A new starter with a Temporary Access Pass.
    finishSignIn(scene, a, t, [row(scene, t, METHOD.tap, STEP.primary, STEP_RESULT.mfaCompleted, true)], EMPTY, true, false, null);
    return;
  }
  finishSignIn(scene, a, t, [passwordRow(scene, t, user, true)], ['password'], false, false, null);
}

/** Interactive sign-in of a B2B collaboration guest: primary authentication happens at home. */
function guestInteractive(scene: Scene, t: number, user: DemoUser): void {
  const rng = scene.rng;
  const c = tables(scene).guest.pick(rng);
  const device = user.devices[0] as DemoDevice;
  const a = attempt(scene, user, c, device, externalNet(user), t, true, 0);
  const x = rng.float();
  if (x < 0.01) {
    stopped(scene, a, t, 530032, claimRows(scene, t, false), SINGLE, null);
    return;
  }
  if (x < 0.03) {
    const id = stopped(scene, a, t, 50058, EMPTY, SINGLE, null);
    if (scene.budget <= 0) return;
    const t2 = t + seconds(rng, 3, 20);
    finishSignIn(scene, a, t2, claimRows(scene, t2, false), EMPTY, false, false, id);
    return;
  }
  if (c.lob?.assignmentRequired && hashInts(user.index, 0x9e57) % 100 < 30) {
    stopped(scene, a, t, 50105, claimRows(scene, t, false), SINGLE, null);
    return;
  }
  // Contoso trusts MFA from some partners' tenants (the claim comes with the token).
  const mfa = rng.chance(0.45);
  finishSignIn(scene, a, t, claimRows(scene, t, mfa), EMPTY, mfa, false, null);
}

/** A CSP technician or a Microsoft support engineer: admin portals, MFA from the home tenant. */
function technicianInteractive(scene: Scene, t: number, user: DemoUser): void {
  const rng = scene.rng;
  const c = ADMIN_CHOICES.pick(rng);
  const device = user.devices[0] as DemoDevice;
  const a = attempt(scene, user, c, device, redactedNet(user), t, true, 0);
  if (user.kind === 'serviceProvider' && rng.chance(0.03)) {
    stopped(scene, a, t, 530034, claimRows(scene, t, true), SINGLE, null);
    return;
  }
  finishSignIn(scene, a, t, claimRows(scene, t, true), EMPTY, true, false, null);
}

/** Someone from a partner tenant who was never invited tries a shared link. */
function uninvitedInteractive(scene: Scene, t: number): void {
  const rng = scene.rng;
  const guests = scene.dir.guests;
  const template = guests[rng.int(guests.length)] as DemoUser;
  const local = `visitor${1 + rng.int(5)}`;
  const domain = template.upn.slice(template.upn.indexOf('@') + 1);
  const stranger: DemoUser = { ...template, id: '', displayName: '', upn: `${local}@${domain}` };
  const c = tables(scene).guest.pick(rng);
  const a = attempt(scene, stranger, c, stranger.devices[0] as DemoDevice, externalNet(template), t, true, 7);
  stopped(scene, { ...a, showUser: false, upnTyped: stranger.upn }, t, 90072, claimRows(scene, t, false), SINGLE, null);
}

/** Legacy authentication: service accounts on SMTP/IMAP and old phones on Exchange ActiveSync. */
function legacyInteractive(scene: Scene, t: number): void {
  const rng = scene.rng;
  const members = scene.dir.members;
  const svc = (name: string): DemoUser => members.find((u) => u.upn.startsWith(`${name}@`)) as DemoUser;
  const x = rng.float();
  let user: DemoUser;
  let clientApp: string;
  let clientType: number;
  let net: Net;
  let userAgent = '';
  const hq = OFFICES[0] as (typeof OFFICES)[number];
  const officeNet: Net = { ip: hq.egress[0] as string, asn: hq.asn, location: hq.place.location, trusted: true, allowed: true, details: namedLocation(hq.name, true) };
  if (x < 0.4) {
    user = svc('svc-scanner');
    clientApp = CLIENT_APP.smtp;
    clientType = CLIENT.other;
    net = officeNet;
  } else if (x < 0.65) {
    user = svc('svc-crm-mailbox');
    clientApp = CLIENT_APP.imap;
    clientType = CLIENT.other;
    const region = CLOUD_REGIONS[1] as (typeof CLOUD_REGIONS)[number];
    net = { ip: `${region.v4Prefix}${40 + rng.int(4)}`, asn: CLOUD_ASN, location: region.place.location, trusted: false, allowed: true, details: namedLocation('Allowed countries', false) };
  } else if (x < 0.8) {
    user = svc('svc-legacy-erp');
    clientApp = CLIENT_APP.other;
    clientType = CLIENT.other;
    userAgent = USER_AGENTS.bav2ropc;
    net = officeNet;
  } else {
    // A member whose old phone still syncs mail over Exchange ActiveSync.
    user = members[hashInts(rng.int(12), 0xea5) % 290] as DemoUser;
    clientApp = CLIENT_APP.exchangeActiveSync;
    clientType = CLIENT.exchangeActiveSync;
    const pool = user.mobileNetworks[0] ?? user.home;
    net = poolNet(pool, `${pool.v4Prefix}${rng.between(2, 254)}`);
  }
  const device = user.devices[0] as DemoDevice;
  const c = choice(A.exchange, [A.exchange], 'computer', false);
  const a: Attempt = {
    ...attempt(scene, user, c, device, net, t, true, 3),
    clientApp,
    clientType,
    userAgent,
    protocol: 'ropc',
    platformBit: clientType === CLIENT.exchangeActiveSync ? PLATFORM.iOS : PLATFORM.unknown,
    deviceDetail: clientType === CLIENT.exchangeActiveSync ? { deviceId: '', operatingSystem: OS.iOS } : EMPTY_DEVICE,
  };
  finishSignIn(scene, a, t, [passwordRow(scene, t, user, true)], ['password'], false, false, null);
}

const EMPTY_DEVICE: DeviceDetail = { deviceId: '', operatingSystem: '', browser: '' };

/** An emergency-access account used at HQ: excluded from every policy, password only. */
function breakGlassInteractive(scene: Scene, t: number): void {
  const rng = scene.rng;
  const name = rng.chance(0.7) ? 'breakglass01@' : 'breakglass02@';
  const user = scene.dir.members.find((u) => u.upn.startsWith(name)) as DemoUser;
  const hq = OFFICES[0] as (typeof OFFICES)[number];
  const net: Net = { ip: hq.egress[0] as string, asn: hq.asn, location: hq.place.location, trusted: true, allowed: true, details: namedLocation(hq.name, true) };
  const c = ADMIN_CHOICES.items[0] as ClientChoice;
  const a = attempt(scene, user, c, user.devices[0] as DemoDevice, net, t, true, 5);
  finishSignIn(scene, a, t, [passwordRow(scene, t, user, true)], ['password'], false, false, null);
}

export type InteractivePrincipal = 'member' | 'guest' | 'technician' | 'uninvited' | 'legacy' | 'breakGlass';

/** One interactive sign-in event (one or more line items). */
export function interactiveEvent(scene: Scene, t: number, kind: InteractivePrincipal, user: DemoUser | null): void {
  switch (kind) {
    case 'member':
      memberInteractive(scene, t, user as DemoUser);
      return;
    case 'guest':
      guestInteractive(scene, t, user as DemoUser);
      return;
    case 'technician':
      technicianInteractive(scene, t, user as DemoUser);
      return;
    case 'uninvited':
      uninvitedInteractive(scene, t);
      return;
    case 'legacy':
      legacyInteractive(scene, t);
      return;
    case 'breakGlass':
      breakGlassInteractive(scene, t);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Non-interactive sign-ins: clients redeeming refresh tokens for one or more resources.

export type NonInteractivePrincipal = 'member' | 'guest' | 'directConnect' | 'technician' | 'passthrough';

export function nonInteractiveEvent(scene: Scene, t: number, kind: NonInteractivePrincipal, user: DemoUser): void {
  const rng = scene.rng;
  const tb = tables(scene);
  let c: ClientChoice;
  let device: DemoDevice;
  let net: Net;
  switch (kind) {
    case 'member':
    case 'passthrough': {
      const developer = (user.tags & TAG.developer) !== 0;
      c = kind === 'passthrough' ? PASSTHROUGH_CHOICES.pick(rng) : (developer ? tb.nonInteractiveDev : tb.nonInteractive).pick(rng);
      device = deviceFor(rng, user, c.form);
      net = memberNet(scene, user, device, t);
      break;
    }
    case 'guest':
      c = tb.guestNonInteractive.pick(rng);
      device = user.devices[0] as DemoDevice;
      net = externalNet(user);
      break;
    case 'directConnect':
      c = DIRECT_CONNECT_CHOICES.pick(rng);
      device = user.devices[0] as DemoDevice;
      net = externalNet(user);
      break;
    case 'technician':
      c = ADMIN_CHOICES.pick(rng);
      device = user.devices[0] as DemoDevice;
      net = redactedNet(user);
      break;
  }
  const a = attempt(scene, user, c, device, net, t, false, 0);
  a.incoming = c.browser ? 'none' : device.platform === 'windows' && device.registered ? 'primaryRefreshToken' : 'refreshToken';
  if (kind === 'passthrough') {
    // A member reaching another tenant's resource without access there: logged at home (§6.7).
    const other = scene.dir.passthroughResourceTenant;
    a.access = 'passthrough';
    a.resourceTenantId = other.id;
    a.evaluated = false;
  }
  // The token's MFA claim: almost always there; when missing, MFA-requiring policies refuse.
  const mfa = rng.chance(kind === 'member' || kind === 'passthrough' ? 0.99 : 0.995);
  const x = rng.float();
  let code: ErrorCode | 0 = 0;
  if (user.disabled) code = 50057;
  else if (x < 0.008) code = 50173;
  else if (x < 0.014) code = 700082;
  else if (x < 0.018) code = 50133;
  else if (x < 0.02 && (c.app === A.azureCli || c.app === A.vsCode)) code = 65001;
  else if (x < 0.023 && device.mobile) code = 50097;
  else if (x < 0.08 && kind === 'guest') code = 70043;
  if (code !== 0) {
    emit(scene, a, t, {
      status: status(code),
      entries: notEvaluatedEntries(scene, a),
      caStatus: 'notApplied',
      details: EMPTY,
      requirement: SINGLE,
      requirementPolicies: EMPTY,
      methodsUsed: EMPTY,
      originalRequestId: null,
      processingMs: nonInteractiveMs(rng),
      risk: NO_RISK,
      sessionLifetime: code === 70043 ? SIF : null,
    });
    return;
  }
  // The client asks for tokens for up to three of its resources at once (one correlation ID).
  const n = c.resources.length === 1 ? 1 : 1 + (rng.chance(0.45) ? 1 + (rng.chance(0.35) ? 1 : 0) : 0);
  let tt = t;
  const first = c.resources.indexOf(a.resource);
  for (let i = 0; i < n && scene.budget > 0; i++) {
    const resource = c.resources[(first + i) % c.resources.length] as AppFact;
    const ai: Attempt = i === 0 ? a : { ...a, resource, resourceOwner: ownerOf(tb, resource.id), audiences: audiencesOf(tb, resource.id), cae: a.cae && resource !== A.skype };
    const ev = evaluate(scene, ai, mfa);
    let st: SignInStatus;
    if (ev.errorCode !== 0) st = status(ev.errorCode as ErrorCode);
    else if (ev.needsMfa) st = status(50076);
    else st = status(0);
    const mfaShown = mfa && ev.mfaRequired;
    emit(scene, ai, tt, {
      status: st,
      entries: ev.entries,
      caStatus: ev.status,
      details: claimRows(scene, tt, mfaShown),
      requirement: mfaShown || ev.needsMfa ? MULTI : SINGLE,
      requirementPolicies: ev.mfaRequired ? REQ_CA : EMPTY,
      methodsUsed: EMPTY,
      originalRequestId: null,
      processingMs: nonInteractiveMs(rng),
      risk: NO_RISK,
      sessionLifetime: null,
    });
    if (st.errorCode !== 0) return;
    tt += Math.floor(rng.float() * 2 * TICKS_PER_SECOND);
  }
}

// ---------------------------------------------------------------------------------------------
// A password spray: one address, many accounts, a few minutes, legacy protocol.

/**
 * Schedules `count` spray attempts from `start`. Most fail with a wrong password (50126), some
 * accounts are locked (50053) or do not exist (50034); one guess is right and Conditional Access
 * blocks it (legacy authentication, 53003).
 */
export function passwordSpray(scene: Scene, start: number, count: number): void {
  const rng = scene.rng;
  const net = hostingNet(rng, 0);
  const sprayNet: Net = { ...net, ip: `${HOSTING[0]?.v4Prefix ?? '192.0.2.'}77` };
  const members = scene.dir.members.filter((u) => !u.disabled);
  const order = members.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const hit = Math.floor(count * 0.6);
  let t = start;
  for (let i = 0; i < count && scene.budget > 0; i++) {
    const user = members[(order[i % order.length] as number)] as DemoUser;
    const c = choice(A.exchange, [A.exchange], 'computer', false);
    const a: Attempt = {
      ...attempt(scene, user, c, user.devices[0] as DemoDevice, sprayNet, t, true, 9),
      clientApp: CLIENT_APP.other,
      clientType: CLIENT.other,
      userAgent: USER_AGENTS.bav2ropc,
      protocol: 'ropc',
      platformBit: PLATFORM.unknown,
      deviceDetail: EMPTY_DEVICE,
      sessionId: '',
    };
    const x = rng.float();
    if (i === hit) {
      finishSignIn(scene, { ...a, risk: SPRAY_HIT }, t, [passwordRow(scene, t, user, true)], ['password'], false, false, null);
    } else if (x < 0.05) {
      const local = `${user.upn.slice(0, user.upn.indexOf('.'))}@${DEMO_TENANT.domain}`;
      stopped(scene, { ...a, showUser: false, upnTyped: local }, t, 50034, EMPTY, SINGLE, null);
    } else if (x < 0.08) {
      // Smart lockout: the account is locked before the password is even checked.
      stopped(scene, a, t, 50053, EMPTY, SINGLE, null);
    } else {
      stopped(scene, a, t, 50126, [passwordRow(scene, t, user, false)], SINGLE, null);
    }
    t += Math.floor(rng.exponential(1.6) * TICKS_PER_SECOND) + 1;
  }
}
