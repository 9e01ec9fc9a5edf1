// The demo tenant's Conditional Access policies and how a sign-in is evaluated against them, with
// per-policy results as the sign-in log records them (semantics.md §3): enabled policies give
// success / failure / notApplied, report-only ones reportOnly*, disabled ones notEnabled.
import type {
  AppliedConditionalAccessPolicy,
  AppliedConditionalAccessPolicyResult,
  ConditionalAccessConditions,
  ConditionalAccessRule,
  ConditionalAccessRuleSatisfied,
  ConditionalAccessStatus,
} from '@microsoft/microsoft-graph-types-beta';
import { APPS } from './catalog.js';
import { stableGuid } from './random.js';

export type PolicyState = 'enabled' | 'enabledForReportingButNotEnforced' | 'disabled';

/** Who a principal is, as bits, for policy scoping (a user has several). */
export const TAG = {
  member: 1 << 0,
  guest: 1 << 1,
  directConnect: 1 << 2,
  serviceProvider: 1 << 3,
  microsoftSupport: 1 << 4,
  admin: 1 << 5,
  breakGlass: 1 << 6,
  serviceAccount: 1 << 7,
  legacyAuthException: 1 << 8,
  finance: 1 << 9,
  developer: 1 << 10,
  /** Pilot groups 0–7 (filler policies target them). */
  pilot0: 1 << 16,
} as const;

export const PILOT_GROUPS = 8;
const ALL_USERS = 0x7fffffff;

/** Client types of the CA "client apps" condition. */
export const CLIENT = { browser: 1, mobileDesktop: 2, exchangeActiveSync: 4, other: 8 } as const;

/** Device platforms of the CA condition. */
export const PLATFORM = { windows: 1, macOS: 2, iOS: 4, android: 8, linux: 16, unknown: 32 } as const;
const KNOWN_PLATFORMS = PLATFORM.windows | PLATFORM.macOS | PLATFORM.iOS | PLATFORM.android | PLATFORM.linux;

/** Risk levels as numbers (none < low < medium < high). */
export const RISK = { none: 0, low: 1, medium: 2, high: 3 } as const;

/** Applications in Conditional Access's "Office 365" and "Microsoft Admin Portals" groups. */
const OFFICE_365: ReadonlySet<string> = new Set(
  [APPS.exchange, APPS.sharePoint, APPS.skype, APPS.teams, APPS.teamsWeb, APPS.teamsServices, APPS.office365Portal, APPS.officeHome].map((a) => a.id),
);
const ADMIN_PORTALS: ReadonlySet<string> = new Set([APPS.azurePortal.id]);

/** What a sign-in looks like to Conditional Access. */
export interface CaContext {
  tags: number;
  /** The client application and the resource (both count for the application condition). */
  appId: string;
  resourceId: string;
  clientType: number;
  platform: number;
  trustedLocation: boolean;
  countryAllowed: boolean;
  signInRisk: number;
  userRisk: number;
  compliant: boolean;
  hybridJoined: boolean;
  deviceCodeFlow: boolean;
  approvedClientApp: boolean;
  /** MFA satisfied: completed now or carried as a claim in the token. */
  mfa: boolean;
  phishingResistant: boolean;
  /** Workload identities: the service principal (object) id and its risk. */
  servicePrincipalId: string;
  servicePrincipalRisk: number;
}

type GrantKind = 'block' | 'mfa' | 'mfaAndPasswordChange' | 'compliantOrHybrid' | 'compliantDevice' | 'approvedApp' | 'authStrength' | 'none';

const GRANT_CONTROLS: Record<GrantKind, readonly string[]> = {
  block: ['Block'],
  mfa: ['Mfa'],
  mfaAndPasswordChange: ['Mfa', 'PasswordChange'],
  compliantOrHybrid: ['RequireCompliantDevice', 'RequireDomainJoinedDevice'],
  compliantDevice: ['RequireCompliantDevice'],
  approvedApp: ['RequireApprovedApp', 'RequireCompliantApp'],
  authStrength: ['RequireAuthenticationStrength'],
  none: [],
};

/** The built-in "Phishing-resistant MFA" authentication strength. */
const PHISHING_RESISTANT = { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA' };

/** A policy as the demo defines it (a small subset of Graph's conditionalAccessPolicy). */
export interface PolicySpec {
  readonly displayName: string;
  readonly state: PolicyState;
  readonly target: 'users' | 'workloadIdentities';
  readonly users?: { readonly include: number; readonly includeRule: ConditionalAccessRule; readonly exclude?: number };
  /** Application scope: every app, a group, or named app ids. */
  readonly apps?: 'all' | 'office365' | 'adminPortals' | readonly string[];
  readonly clientTypes?: number;
  readonly platforms?: number;
  readonly location?: 'outsideAllowedCountries' | 'untrusted';
  readonly signInRisk?: number;
  readonly userRisk?: number;
  readonly unmanagedDevice?: boolean;
  readonly deviceCodeFlow?: boolean;
  /** Workload identities in scope (service principal object ids); all the tenant's own when '*'. */
  readonly servicePrincipals?: '*' | readonly string[];
  readonly servicePrincipalRisk?: number;
  readonly grant: GrantKind;
  readonly session?: readonly string[];
}

/** How one condition went: satisfied, not satisfied, or not satisfied because an exclusion matched. */
const enum Cond {
  Yes = 0,
  No = 1,
  Excluded = 2,
}

interface Condition {
  readonly name: ConditionalAccessConditions;
  readonly test: (ctx: CaContext) => Cond;
  readonly include: ConditionalAccessRuleSatisfied | null;
  readonly exclude: ConditionalAccessRuleSatisfied | null;
}

/** What a satisfied policy's grant controls made of the sign-in. */
const enum Grant {
  Ok = 0,
  Fail = 1,
  NeedsMfa = 2,
  NeedsStrength = 3,
}

/** How a policy went for one sign-in, before its state turns it into a result. */
const enum Outcome {
  NotEvaluated = 0,
  NotApplied = 1,
  Applied = 2,
}

const CONDITION_ORDER: readonly ConditionalAccessConditions[] = [
  'none', 'application', 'users', 'devicePlatform', 'location', 'clientType', 'signInRisk', 'userRisk', 'time', 'deviceState',
  'client', 'ipAddressSeenByAzureAD', 'ipAddressSeenByResourceProvider', 'unknownFutureValue', 'servicePrincipals',
  'servicePrincipalRisk', 'authenticationFlows', 'insiderRisk',
];

/** A flags value in member order ("application,users"), or "none". */
function flags(names: readonly ConditionalAccessConditions[]): ConditionalAccessConditions {
  if (names.length === 0) return 'none';
  const sorted = [...names].sort((a, b) => CONDITION_ORDER.indexOf(a) - CONDITION_ORDER.indexOf(b));
  // A comma list of members is how Graph writes a flags enum; the Graph type names one member.
  return sorted.join(',') as ConditionalAccessConditions;
}

function rule(condition: ConditionalAccessConditions, satisfied: ConditionalAccessRule): ConditionalAccessRuleSatisfied {
  return { conditionalAccessCondition: condition, ruleSatisfied: satisfied };
}

/** One policy of the tenant, with its conditions compiled and its log entries made once. */
export class DemoPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly state: PolicyState;
  readonly target: 'users' | 'workloadIdentities';
  readonly grant: GrantKind;
  readonly grantControls: readonly string[];
  readonly sessionControls: readonly string[];
  readonly conditions: readonly Condition[];
  private readonly entries = new Map<number, AppliedConditionalAccessPolicy>();

  constructor(id: string, spec: PolicySpec, tenantServicePrincipals: ReadonlySet<string>) {
    this.id = id;
    this.displayName = spec.displayName;
    this.state = spec.state;
    this.target = spec.target;
    this.grant = spec.grant;
    this.grantControls = GRANT_CONTROLS[spec.grant];
    this.sessionControls = spec.session ?? [];
    this.conditions = compileConditions(spec, tenantServicePrincipals);
  }

  /** The shared log entry for an outcome (entries are immutable and reused across sign-ins). */
  entry(outcome: Outcome, at: number, excluded: boolean, grant: Grant): AppliedConditionalAccessPolicy {
    const key = outcome | (at << 2) | (excluded ? 1 << 8 : 0) | (grant << 9);
    let e = this.entries.get(key);
    if (!e) {
      e = this.makeEntry(outcome, at, excluded, grant);
      this.entries.set(key, e);
    }
    return e;
  }

  private makeEntry(outcome: Outcome, at: number, excluded: boolean, grant: Grant): AppliedConditionalAccessPolicy {
    const reportOnly = this.state === 'enabledForReportingButNotEnforced';
    if (this.state === 'disabled') {
      return {
        id: this.id,
        displayName: this.displayName,
        enforcedGrantControls: [],
        enforcedSessionControls: [],
        conditionsSatisfied: 'none',
        conditionsNotSatisfied: 'none',
        result: 'notEnabled',
      };
    }
    const base: AppliedConditionalAccessPolicy = {
      id: this.id,
      displayName: this.displayName,
      enforcedGrantControls: this.grantControls as string[],
      enforcedSessionControls: this.sessionControls as string[],
    };
    if (outcome === Outcome.NotEvaluated) {
      return { ...base, conditionsSatisfied: 'none', conditionsNotSatisfied: 'none', result: reportOnly ? 'reportOnlyNotApplied' : 'notApplied' };
    }
    const checked = outcome === Outcome.Applied ? this.conditions : this.conditions.slice(0, at);
    const includes = checked.map((c) => c.include).filter((r): r is ConditionalAccessRuleSatisfied => r !== null);
    const e: AppliedConditionalAccessPolicy = {
      ...base,
      conditionsSatisfied: flags(checked.map((c) => c.name)),
      conditionsNotSatisfied: outcome === Outcome.Applied ? 'none' : (this.conditions[at] as Condition).name,
    };
    // Include rules are listed where the policy applied (every include matched); exclude rules where
    // an exclusion is what kept it from applying.
    if (outcome === Outcome.Applied && includes.length > 0) e.includeRulesSatisfied = includes;
    const failing = this.conditions[at];
    if (outcome === Outcome.NotApplied && excluded && failing?.exclude) e.excludeRulesSatisfied = [failing.exclude];
    if (this.grant === 'authStrength' && outcome === Outcome.Applied) {
      e.authenticationStrength = {
        authenticationStrengthId: PHISHING_RESISTANT.id,
        displayName: PHISHING_RESISTANT.displayName,
        authenticationStrengthResult: grant === Grant.Ok ? 'satisfied' : 'singleChallengeRequired',
      };
    }
    e.result = resultOf(this.state, outcome, grant);
    return e;
  }
}

function resultOf(state: PolicyState, outcome: Outcome, grant: Grant): AppliedConditionalAccessPolicyResult {
  const reportOnly = state === 'enabledForReportingButNotEnforced';
  if (outcome !== Outcome.Applied) return reportOnly ? 'reportOnlyNotApplied' : 'notApplied';
  if (grant === Grant.Ok) return reportOnly ? 'reportOnlySuccess' : 'success';
  if (grant === Grant.Fail) return reportOnly ? 'reportOnlyFailure' : 'failure';
  // MFA or a stronger method would be needed: report-only records "user action required".
  return reportOnly ? 'reportOnlyInterrupted' : 'failure';
}

function appCondition(apps: PolicySpec['apps']): Condition {
  if (apps === undefined || apps === 'all') {
    return { name: 'application', test: () => Cond.Yes, include: rule('application', 'allApps'), exclude: null };
  }
  if (apps === 'office365') {
    return {
      name: 'application',
      test: (c) => (OFFICE_365.has(c.resourceId) || OFFICE_365.has(c.appId) ? Cond.Yes : Cond.No),
      include: rule('application', 'office365'),
      exclude: null,
    };
  }
  if (apps === 'adminPortals') {
    return {
      name: 'application',
      test: (c) => (ADMIN_PORTALS.has(c.appId) ? Cond.Yes : Cond.No),
      include: rule('application', 'microsoftAdminPortals'),
      exclude: null,
    };
  }
  const ids = new Set(apps);
  return {
    name: 'application',
    test: (c) => (ids.has(c.resourceId) || ids.has(c.appId) ? Cond.Yes : Cond.No),
    include: rule('application', 'appId'),
    exclude: null,
  };
}

function compileConditions(spec: PolicySpec, tenantServicePrincipals: ReadonlySet<string>): Condition[] {
  const out: Condition[] = [];
  if (spec.target === 'workloadIdentities') {
    const scope = spec.servicePrincipals === '*' || spec.servicePrincipals === undefined ? tenantServicePrincipals : new Set(spec.servicePrincipals);
    out.push({ name: 'servicePrincipals', test: (c) => (scope.has(c.servicePrincipalId) ? Cond.Yes : Cond.No), include: null, exclude: null });
  } else {
    out.push(appCondition(spec.apps));
    const users = spec.users ?? { include: ALL_USERS, includeRule: 'allUsers' as const };
    const exclude = users.exclude ?? 0;
    const excludeRule: ConditionalAccessRule = exclude & TAG.breakGlass ? 'userId' : 'groupId';
    out.push({
      name: 'users',
      test: (c) => ((c.tags & users.include) === 0 ? Cond.No : (c.tags & exclude) !== 0 ? Cond.Excluded : Cond.Yes),
      include: rule('users', users.includeRule),
      exclude: exclude ? rule('users', excludeRule) : null,
    });
  }
  if (spec.platforms !== undefined) {
    const p = spec.platforms;
    if (p === PLATFORM.unknown) {
      // "Any platform" included, the known ones excluded: only unknown platforms are left.
      out.push({
        name: 'devicePlatform',
        test: (c) => (c.platform & KNOWN_PLATFORMS ? Cond.Excluded : Cond.Yes),
        include: rule('devicePlatform', 'allDevicePlatforms'),
        exclude: rule('devicePlatform', 'devicePlatform'),
      });
    } else {
      out.push({ name: 'devicePlatform', test: (c) => (c.platform & p ? Cond.Yes : Cond.No), include: rule('devicePlatform', 'devicePlatform'), exclude: null });
    }
  }
  if (spec.location === 'outsideAllowedCountries') {
    out.push({
      name: 'location',
      test: (c) => (c.countryAllowed ? Cond.Excluded : Cond.Yes),
      include: rule('location', 'allLocations'),
      exclude: rule('location', 'locationId'),
    });
  } else if (spec.location === 'untrusted') {
    out.push({
      name: 'location',
      test: (c) => (c.trustedLocation ? Cond.Excluded : Cond.Yes),
      include: rule('location', 'allLocations'),
      exclude: rule('location', 'allTrustedLocations'),
    });
  }
  if (spec.clientTypes !== undefined) {
    const t = spec.clientTypes;
    out.push({ name: 'clientType', test: (c) => (c.clientType & t ? Cond.Yes : Cond.No), include: null, exclude: null });
  }
  if (spec.signInRisk !== undefined) {
    const r = spec.signInRisk;
    out.push({ name: 'signInRisk', test: (c) => (c.signInRisk >= r ? Cond.Yes : Cond.No), include: null, exclude: null });
  }
  if (spec.userRisk !== undefined) {
    const r = spec.userRisk;
    out.push({ name: 'userRisk', test: (c) => (c.userRisk >= r ? Cond.Yes : Cond.No), include: null, exclude: null });
  }
  if (spec.servicePrincipalRisk !== undefined) {
    const r = spec.servicePrincipalRisk;
    out.push({ name: 'servicePrincipalRisk', test: (c) => (c.servicePrincipalRisk >= r ? Cond.Yes : Cond.No), include: null, exclude: null });
  }
  if (spec.unmanagedDevice) {
    out.push({
      name: 'deviceState',
      test: (c) => (c.compliant || c.hybridJoined ? Cond.No : Cond.Yes),
      include: rule('deviceState', 'deviceFilter'),
      exclude: null,
    });
  }
  if (spec.deviceCodeFlow) {
    out.push({
      name: 'authenticationFlows',
      test: (c) => (c.deviceCodeFlow ? Cond.Yes : Cond.No),
      include: rule('authenticationFlows', 'deviceCodeFlow'),
      exclude: null,
    });
  }
  return out;
}

function grantOf(kind: GrantKind, c: CaContext): Grant {
  switch (kind) {
    case 'block':
      return Grant.Fail;
    case 'mfa':
    case 'mfaAndPasswordChange':
      return c.mfa ? Grant.Ok : Grant.NeedsMfa;
    case 'compliantOrHybrid':
      return c.compliant || c.hybridJoined ? Grant.Ok : Grant.Fail;
    case 'compliantDevice':
      return c.compliant ? Grant.Ok : Grant.Fail;
    case 'approvedApp':
      return c.approvedClientApp ? Grant.Ok : Grant.Fail;
    case 'authStrength':
      return c.phishingResistant ? Grant.Ok : Grant.NeedsStrength;
    case 'none':
      return Grant.Ok;
  }
}

/** What the enforced (enabled) policies made of a sign-in, beside the per-policy entries. */
export interface CaEvaluation {
  entries: AppliedConditionalAccessPolicy[];
  status: ConditionalAccessStatus;
  /** The AADSTS code an enabled policy's failure gives (53003 block, 53000 device, ...), 0 if none or only MFA. */
  errorCode: number;
  /** An enabled policy applies and needs MFA the sign-in does not have. */
  needsMfa: boolean;
  /** An enabled policy with an MFA grant applies (satisfied or not). */
  mfaRequired: boolean;
  /** An enabled policy with a sign-in frequency session control applies. */
  signInFrequency: boolean;
}

const FAIL_CODE: Record<GrantKind, number> = {
  block: 53003,
  compliantOrHybrid: 53000,
  compliantDevice: 53000,
  approvedApp: 53002,
  mfa: 0,
  mfaAndPasswordChange: 0,
  authStrength: 0,
  none: 0,
};
const CODE_RANK: Record<number, number> = { 53003: 3, 53000: 2, 53002: 1, 0: 0 };

/** Evaluates the given policies (all of one target) for a sign-in. */
export function evaluatePolicies(policies: readonly DemoPolicy[], ctx: CaContext): CaEvaluation {
  const entries = new Array<AppliedConditionalAccessPolicy>(policies.length);
  let anySuccess = false;
  let anyFailure = false;
  let errorCode = 0;
  let needsMfa = false;
  let mfaRequired = false;
  let signInFrequency = false;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i] as DemoPolicy;
    if (p.state === 'disabled') {
      entries[i] = p.entry(Outcome.NotApplied, 0, false, Grant.Ok);
      continue;
    }
    let at = 0;
    let cond: Cond = Cond.Yes;
    const conditions = p.conditions;
    for (; at < conditions.length; at++) {
      cond = (conditions[at] as Condition).test(ctx);
      if (cond !== Cond.Yes) break;
    }
    if (cond !== Cond.Yes) {
      entries[i] = p.entry(Outcome.NotApplied, at, cond === Cond.Excluded, Grant.Ok);
      continue;
    }
    const grant = grantOf(p.grant, ctx);
    entries[i] = p.entry(Outcome.Applied, 0, false, grant);
    if (p.state !== 'enabled') continue;
    if (p.grant === 'mfa' || p.grant === 'mfaAndPasswordChange') mfaRequired = true;
    if (p.sessionControls.includes('SignInFrequency')) signInFrequency = true;
    if (grant === Grant.Ok) {
      anySuccess = true;
    } else {
      anyFailure = true;
      if (grant === Grant.NeedsMfa || grant === Grant.NeedsStrength) needsMfa = true;
      const code = FAIL_CODE[p.grant];
      if ((CODE_RANK[code] ?? 0) > (CODE_RANK[errorCode] ?? 0)) errorCode = code;
    }
  }
  const status: ConditionalAccessStatus = anyFailure ? 'failure' : anySuccess ? 'success' : 'notApplied';
  return { entries, status, errorCode, needsMfa, mfaRequired, signInFrequency };
}

const notEvaluatedCache = new WeakMap<readonly DemoPolicy[], AppliedConditionalAccessPolicy[]>();

/**
 * The entries of a sign-in that ended before Conditional Access was evaluated (wrong password,
 * unknown user) or was interrupted to ask the user for more: every policy listed, none applied.
 * One shared array per policy list.
 */
export function notEvaluated(policies: readonly DemoPolicy[]): AppliedConditionalAccessPolicy[] {
  let e = notEvaluatedCache.get(policies);
  if (!e) {
    e = policies.map((p) => p.entry(Outcome.NotEvaluated, 0, false, Grant.Ok));
    notEvaluatedCache.set(policies, e);
  }
  return e;
}

/** The sign-in-level status from per-policy results (semantics.md §3.1; the rule tests check). */
export function conditionalAccessStatusOf(results: readonly (string | null | undefined)[]): ConditionalAccessStatus {
  if (results.includes('failure')) return 'failure';
  if (results.includes('success')) return 'success';
  return 'notApplied';
}

/** Service principal ids and LOB app ids the base policies refer to. */
export interface PolicyTargets {
  /** The tenant's own (single-tenant) service principals: workload identity policies can target them. */
  tenantServicePrincipals: ReadonlySet<string>;
  /** Service principals the location policy covers (they run on-premises, from office networks). */
  onPremisesServicePrincipals: readonly string[];
  /** The finance line-of-business app (compliant device required). */
  financeAppId: string;
  /** Resources filler policies pick from. */
  fillerResources: readonly { id: string; name: string }[];
}

const ENFORCED = 'enabled';
const REPORT_ONLY = 'enabledForReportingButNotEnforced';
const ALL_BUT_BREAK_GLASS = { include: ALL_USERS, includeRule: 'allUsers', exclude: TAG.breakGlass } as const;
const EMPLOYEES = { include: TAG.member, includeRule: 'groupId', exclude: TAG.breakGlass | TAG.serviceAccount } as const;
const ADMINS = { include: TAG.admin, includeRule: 'roleId', exclude: TAG.breakGlass } as const;
const EXTERNALS = { include: TAG.guest | TAG.directConnect | TAG.serviceProvider, includeRule: 'b2bCollaborationGuest' } as const;

function basePolicySpecs(t: PolicyTargets): PolicySpec[] {
  const browserAndApps = CLIENT.browser | CLIENT.mobileDesktop;
  return [
    { displayName: 'CA001: Block legacy authentication', state: ENFORCED, target: 'users', users: { include: ALL_USERS, includeRule: 'allUsers', exclude: TAG.breakGlass | TAG.legacyAuthException }, clientTypes: CLIENT.exchangeActiveSync | CLIENT.other, grant: 'block' },
    { displayName: 'CA002: Require MFA for all users', state: ENFORCED, target: 'users', users: { include: ALL_USERS, includeRule: 'allUsers', exclude: TAG.breakGlass | TAG.serviceAccount }, clientTypes: browserAndApps, grant: 'mfa' },
    { displayName: 'CA003: Require MFA for administrators', state: ENFORCED, target: 'users', users: ADMINS, grant: 'mfa' },
    { displayName: 'CA004: Require phishing-resistant MFA for administrators', state: REPORT_ONLY, target: 'users', users: ADMINS, grant: 'authStrength' },
    { displayName: 'CA005: Block access from outside allowed countries', state: ENFORCED, target: 'users', users: ALL_BUT_BREAK_GLASS, location: 'outsideAllowedCountries', grant: 'block' },
    { displayName: 'CA006: Require compliant or hybrid joined device on Windows', state: ENFORCED, target: 'users', users: EMPLOYEES, platforms: PLATFORM.windows, clientTypes: browserAndApps, grant: 'compliantOrHybrid' },
    { displayName: 'CA007: Block high sign-in risk', state: ENFORCED, target: 'users', users: ALL_BUT_BREAK_GLASS, signInRisk: RISK.high, grant: 'block' },
    { displayName: 'CA008: Require MFA for medium or high sign-in risk', state: ENFORCED, target: 'users', users: ALL_BUT_BREAK_GLASS, signInRisk: RISK.medium, grant: 'mfa' },
    { displayName: 'CA009: Block device code flow', state: ENFORCED, target: 'users', users: ALL_BUT_BREAK_GLASS, deviceCodeFlow: true, grant: 'block' },
    { displayName: 'CA010: Require MFA for guests and external users', state: ENFORCED, target: 'users', users: EXTERNALS, grant: 'mfa' },
    { displayName: 'CA011: Sign-in frequency 12 hours for guests', state: ENFORCED, target: 'users', users: { include: TAG.guest, includeRule: 'b2bCollaborationGuest' }, grant: 'none', session: ['SignInFrequency'] },
    { displayName: 'CA012: App enforced restrictions for Office 365 on unmanaged devices', state: ENFORCED, target: 'users', users: EMPLOYEES, apps: 'office365', clientTypes: CLIENT.browser, unmanagedDevice: true, grant: 'none', session: ['AppEnforcedRestrictions'] },
    { displayName: 'CA013: Require approved client app on iOS and Android', state: REPORT_ONLY, target: 'users', users: EMPLOYEES, apps: 'office365', platforms: PLATFORM.iOS | PLATFORM.android, grant: 'approvedApp' },
    { displayName: 'Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals', state: REPORT_ONLY, target: 'users', users: ADMINS, apps: 'adminPortals', grant: 'mfa' },
    { displayName: 'CA014: Require MFA for Azure management', state: ENFORCED, target: 'users', users: ALL_BUT_BREAK_GLASS, apps: [APPS.azureManagement.id], grant: 'mfa' },
    { displayName: 'CA015: Block unknown or unsupported device platforms', state: REPORT_ONLY, target: 'users', users: ALL_BUT_BREAK_GLASS, platforms: PLATFORM.unknown, grant: 'block' },
    { displayName: 'CA016: No persistent browser session on unmanaged devices', state: 'disabled', target: 'users', users: EMPLOYEES, unmanagedDevice: true, clientTypes: CLIENT.browser, grant: 'none', session: ['PersistentBrowserSessionMode'] },
    { displayName: 'CA017: Require compliant device for finance apps', state: ENFORCED, target: 'users', users: { include: TAG.finance, includeRule: 'groupId', exclude: TAG.breakGlass }, apps: [t.financeAppId], grant: 'compliantDevice' },
    { displayName: 'CA900: Block workload identities outside trusted locations', state: ENFORCED, target: 'workloadIdentities', servicePrincipals: t.onPremisesServicePrincipals, location: 'untrusted', grant: 'block' },
    { displayName: 'CA901: Block high-risk workload identities', state: REPORT_ONLY, target: 'workloadIdentities', servicePrincipals: '*', servicePrincipalRisk: RISK.high, grant: 'block' },
  ];
}

/** The number of policies a demo tenant has unless told otherwise. */
export const BASE_POLICY_COUNT = 20;

/** Extra policies for benchmarks: narrower, varied, mostly harmless (enforced blocks stay report-only). */
function fillerSpec(j: number, t: PolicyTargets): PolicySpec {
  const res = t.fillerResources[j % t.fillerResources.length] as { id: string; name: string };
  const states: PolicyState[] = [ENFORCED, REPORT_ONLY, 'disabled', REPORT_ONLY, ENFORCED];
  const state = states[j % states.length] as PolicyState;
  const group = j % PILOT_GROUPS;
  const pilot = { include: TAG.pilot0 << group, includeRule: 'groupId', exclude: TAG.breakGlass } as const;
  const n = 100 + j;
  switch (j % 6) {
    case 0:
      return { displayName: `CA${n}: Require MFA for ${res.name} (pilot group ${group + 1})`, state, target: 'users', users: pilot, apps: [res.id], grant: 'mfa' };
    case 1:
      return { displayName: `CA${n}: Sign-in frequency 8 hours for ${res.name}`, state, target: 'users', users: ALL_BUT_BREAK_GLASS, apps: [res.id], grant: 'none', session: ['SignInFrequency'] };
    case 2:
      return { displayName: `CA${n}: Block Linux and Android for ${res.name} (pilot group ${group + 1})`, state: state === ENFORCED ? REPORT_ONLY : state, target: 'users', users: pilot, apps: [res.id], platforms: PLATFORM.linux | PLATFORM.android, grant: 'block' };
    case 3:
      return { displayName: `CA${n}: Require compliant device for ${res.name} (pilot group ${group + 1})`, state, target: 'users', users: pilot, apps: [res.id], clientTypes: CLIENT.browser | CLIENT.mobileDesktop, grant: 'compliantDevice' };
    case 4:
      return { displayName: `CA${n}: App enforced restrictions for ${res.name} on unmanaged devices`, state, target: 'users', users: EMPLOYEES, apps: [res.id], unmanagedDevice: true, grant: 'none', session: ['AppEnforcedRestrictions'] };
    default:
      return { displayName: `CA${n}: Block ${res.name} outside allowed countries (pilot group ${group + 1})`, state: state === ENFORCED ? REPORT_ONLY : state, target: 'users', users: pilot, apps: [res.id], location: 'outsideAllowedCountries', grant: 'block' };
  }
}

/**
 * The tenant's policies: the base set (20), cut to `count` when fewer are asked for, or followed by
 * filler policies up to `count`. Ids are stable: the same position always has the same id.
 */
export function buildPolicies(count: number, targets: PolicyTargets): DemoPolicy[] {
  const base = basePolicySpecs(targets);
  const specs = base.slice(0, Math.max(0, count));
  for (let j = 0; specs.length < count; j++) specs.push(fillerSpec(j, targets));
  return specs.map((s, i) => new DemoPolicy(stableGuid(`contoso-demo:ca-policy:${i}`), s, targets.tenantServicePrincipals));
}
