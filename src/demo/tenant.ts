// The demo tenant "Contoso Demo": its identity, offices and networks, people (members, guests and
// other cross-tenant identities), devices, line-of-business apps, service principals and managed
// identities. Built once from a fixed seed, so every demo data set shows the same tenant; only the
// traffic depends on the generator's seed.
import type { DeviceDetail, SignInAccessType, SignInLocation } from '@microsoft/microsoft-graph-types-beta';
import {
  ALLOWED_COUNTRIES,
  APPS,
  BROWSERS,
  CONSUMER_TENANT_ID,
  FIRST_NAMES,
  LAST_NAMES,
  MICROSOFT_TENANT_ID,
  NETWORKS,
  OS,
  PASSWORD_SOURCE,
  PLACES,
  TRUST_TYPE,
  USER_AGENTS,
  type AppFact,
  type MethodKey,
  type NetworkKey,
  type PlaceKey,
} from './catalog.js';
import { PILOT_GROUPS, PLATFORM, TAG } from './policies.js';
import { Random, stableGuid } from './random.js';

/** The home tenant every demo sign-in is logged in. */
export const DEMO_TENANT = {
  id: '5d2c7b4e-9a1f-4c3e-8b6d-2f0e7a9c1d35',
  name: 'Contoso Demo',
  domain: 'contoso-demo.example',
} as const;

export type CrossTenantRelation = Exclude<SignInAccessType, 'none' | 'unknownFutureValue'>;

export interface PartnerTenant {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  /** How this tenant's people reach Contoso Demo (or, for passthrough, how Contoso's reach it). */
  readonly relation: CrossTenantRelation;
  readonly place: PlaceKey;
}

/** Other tenants: guests' homes, a direct-connect partner, a CSP, Microsoft (support) and consumers. */
export const PARTNER_TENANTS = {
  fabrikam: { id: '0b6f3e52-7c1d-4a8e-9f42-6d1a2c3b4e5f', name: 'Fabrikam', domain: 'fabrikam-demo.example', relation: 'b2bCollaboration', place: 'chicago' },
  northwind: { id: '1c7a4f63-8d2e-4b9f-a053-7e2b3d4c5f60', name: 'Northwind Traders', domain: 'northwind-demo.example', relation: 'b2bCollaboration', place: 'london' },
  tailspin: { id: '2d8b5a74-9e3f-4cae-b164-8f3c4e5d6a71', name: 'Tailspin Toys', domain: 'tailspin-demo.example', relation: 'b2bCollaboration', place: 'austin' },
  woodgrove: { id: '3e9c6b85-af40-4dbf-8275-904d5f6e7b82', name: 'Woodgrove Bank', domain: 'woodgrove-demo.example', relation: 'b2bCollaboration', place: 'frankfurt' },
  consumers: { id: CONSUMER_TENANT_ID, name: 'Microsoft accounts', domain: 'outlook-demo.example', relation: 'b2bCollaboration', place: 'paris' },
  adatum: { id: '4fad7c96-b051-4ec0-9386-a15e6a7f8c93', name: 'Adatum', domain: 'adatum-demo.example', relation: 'b2bDirectConnect', place: 'amsterdam' },
  litware: { id: '50be8da7-c162-4fd1-84a7-b26f7b809da4', name: 'Litware CSP', domain: 'litware-csp.example', relation: 'serviceProvider', place: 'dublin' },
  microsoft: { id: MICROSOFT_TENANT_ID, name: 'Microsoft', domain: 'microsoft-support.example', relation: 'microsoftSupport', place: 'redmond' },
  proseware: { id: '61cf9eb8-d273-40e2-95b8-c3808c91aeb5', name: 'Proseware', domain: 'proseware-demo.example', relation: 'passthrough', place: 'toronto' },
} as const satisfies Record<string, PartnerTenant>;

/** A place with its Graph `location` object, made once and shared by every sign-in from there. */
export interface Place {
  readonly key: PlaceKey;
  readonly country: string;
  readonly allowed: boolean;
  readonly location: SignInLocation;
  readonly utcOffset: number;
}

const places = new Map<PlaceKey, Place>();

export function place(key: PlaceKey): Place {
  let p = places.get(key);
  if (!p) {
    const f = PLACES[key];
    p = {
      key,
      country: f.country,
      allowed: ALLOWED_COUNTRIES.has(f.country),
      location: { city: f.city, state: f.state, countryOrRegion: f.country, geoCoordinates: { latitude: f.lat, longitude: f.lon } },
      utcOffset: f.utcOffset,
    };
    places.set(key, p);
  }
  return p;
}

/** A pool of addresses of one network at one place: a /24 in 198.18.0.0/15 and a /48 in 2001:db8::/32. */
export interface AddressPool {
  readonly place: Place;
  readonly asn: number;
  readonly v4Prefix: string;
  readonly v6Prefix: string;
}

let poolCount = 0;
let poolsComplete = false;
const pools = new Map<string, AddressPool>();

/**
 * The address pool of a network at a place. Pools are numbered once, in a fixed order, when this
 * module loads (see the end of the file), so an address never depends on what was generated before.
 */
export function addressPool(placeKey: PlaceKey, network: NetworkKey): AddressPool {
  const key = `${placeKey}/${network}`;
  let p = pools.get(key);
  if (!p) {
    if (poolsComplete) throw new Error(`demo: no address pool for ${key}; register it in tenant.ts`);
    const i = poolCount++;
    p = {
      place: place(placeKey),
      asn: NETWORKS[network].asn,
      v4Prefix: `198.${18 + (i >> 8)}.${i & 255}.`,
      v6Prefix: `2001:db8:${(0x100 + i).toString(16)}:`,
    };
    pools.set(key, p);
  }
  return p;
}

/** An office: trusted named location with fixed egress addresses (documentation range 203.0.113.0/24). */
export interface Office {
  readonly name: string;
  readonly place: Place;
  readonly asn: number;
  readonly egress: readonly string[];
  readonly egressV6: string;
  /** Share of the workforce based here. */
  readonly share: number;
  readonly homes: readonly PlaceKey[];
  readonly residential: readonly NetworkKey[];
  readonly mobile: readonly NetworkKey[];
}

function office(
  i: number,
  name: string,
  placeKey: PlaceKey,
  network: NetworkKey,
  share: number,
  homes: PlaceKey[],
  residential: NetworkKey[],
  mobile: NetworkKey[],
): Office {
  return {
    name,
    place: place(placeKey),
    asn: NETWORKS[network].asn,
    egress: [`203.0.113.${10 + i * 8}`, `203.0.113.${11 + i * 8}`],
    egressV6: `2001:db8:${(0x10 + i).toString(16)}::${(0x20 + i).toString(16)}`,
    share,
    homes,
    residential,
    mobile,
  };
}

export const OFFICES: readonly Office[] = [
  office(0, 'Seattle HQ', 'seattle', 'zayo', 0.34, ['seattle', 'redmond', 'tacoma', 'denver', 'austin', 'chicago'], ['comcast'], ['tMobileUs', 'verizonWireless']),
  office(1, 'New York Office', 'newYork', 'cogent', 0.16, ['newYork', 'jerseyCity', 'boston'], ['verizon', 'comcast'], ['verizonWireless', 'tMobileUs']),
  office(2, 'Toronto Office', 'toronto', 'cogent', 0.07, ['toronto', 'ottawa'], ['rogers', 'bell'], ['rogers']),
  office(3, 'London Office', 'london', 'colt', 0.14, ['london', 'manchester'], ['bt', 'virginMedia'], ['vodafoneUk']),
  office(4, 'Berlin Office', 'berlin', 'colt', 0.1, ['berlin', 'munich'], ['deutscheTelekom'], ['vodafoneDe']),
  office(5, 'Bengaluru Office', 'bengaluru', 'tata', 0.12, ['bengaluru', 'mumbai'], ['airtel'], ['jio', 'airtel']),
  office(6, 'Sydney Office', 'sydney', 'telstra', 0.07, ['sydney', 'melbourne'], ['telstra'], ['optus']),
];

/** Where people travel to (the last three are outside the allowed countries). */
export const TRAVEL: readonly (readonly [PlaceKey, NetworkKey])[] = [
  ['paris', 'orange'],
  ['amsterdam', 'kpn'],
  ['madrid', 'telefonica'],
  ['dublin', 'eir'],
  ['tokyo', 'ntt'],
  ['singapore', 'singtel'],
  ['frankfurt', 'deutscheTelekom'],
  ['london', 'bt'],
  ['newYork', 'verizon'],
  ['mexicoCity', 'telmex'],
  ['saoPaulo', 'vivo'],
  ['capeTown', 'vodacom'],
];

/** Azure regions' egress (workloads, CI runners): Microsoft's network, documentation range 198.51.100.0/24. */
export interface CloudRegion {
  readonly name: string;
  readonly place: Place;
  readonly v4Prefix: string;
}

export const CLOUD_REGIONS: readonly CloudRegion[] = [
  { name: 'westus2', place: place('quincy'), v4Prefix: '198.51.100.' },
  { name: 'eastus', place: place('boydton'), v4Prefix: '198.51.100.' },
  { name: 'westeurope', place: place('amsterdam'), v4Prefix: '198.51.100.' },
  { name: 'northeurope', place: place('dublin'), v4Prefix: '198.51.100.' },
];
export const CLOUD_ASN = NETWORKS.microsoft.asn;

/** Hosting networks (VPS, VPN exits) used by attackers and anonymisers: 192.0.2.0/24. */
export const HOSTING: readonly { place: Place; asn: number; v4Prefix: string }[] = [
  { place: place('amsterdam'), asn: NETWORKS.m247.asn, v4Prefix: '192.0.2.' },
  { place: place('frankfurt'), asn: NETWORKS.digitalOcean.asn, v4Prefix: '192.0.2.' },
  { place: place('paris'), asn: NETWORKS.ovh.asn, v4Prefix: '192.0.2.' },
  { place: place('singapore'), asn: NETWORKS.digitalOcean.asn, v4Prefix: '192.0.2.' },
];

export type Platform = 'windows' | 'macOS' | 'iOS' | 'android' | 'linux';

/** A device someone signs in from, with its `deviceDetail` objects made once. */
export interface DemoDevice {
  readonly platform: Platform;
  /** The CA platform bit. */
  readonly platformBit: number;
  readonly mobile: boolean;
  readonly compliant: boolean;
  readonly hybridJoined: boolean;
  readonly registered: boolean;
  /** deviceDetail for browser sign-ins and for apps (rich clients). */
  readonly browserDetail: DeviceDetail;
  readonly appDetail: DeviceDetail;
  readonly userAgent: string;
}

export type PrincipalKind = 'member' | 'guest' | 'directConnect' | 'serviceProvider' | 'microsoftSupport';

/** A person who signs in. */
export interface DemoUser {
  readonly index: number;
  readonly id: string;
  readonly displayName: string;
  /** Lower-case, as Entra writes it; guests in their "true" form (their own address). */
  readonly upn: string;
  readonly kind: PrincipalKind;
  readonly access: SignInAccessType;
  readonly homeTenantId: string;
  /** CA scoping bits (TAG.*). */
  readonly tags: number;
  readonly office: Office | null;
  readonly home: AddressPool;
  readonly homeIp: string;
  readonly mobileNetworks: readonly AddressPool[];
  readonly devices: readonly DemoDevice[];
  /** Second factor the user answers prompts with. */
  readonly mfaMethod: MethodKey;
  /** Passwordless method the user signs in with sometimes, if any. */
  readonly passwordless: MethodKey | null;
  readonly passwordSource: string;
  readonly phone: string;
  /** Relative activity (how many sign-ins this person makes). */
  readonly activity: number;
  readonly disabled: boolean;
  readonly perUserMfa: boolean;
}

/** A line-of-business or third-party application people sign in to. */
export interface DemoApp extends AppFact {
  readonly ownerTenantId: string;
  readonly servicePrincipalId: string;
  readonly web: boolean;
  /** Needs an app role assignment (50105 for the unassigned). */
  readonly assignmentRequired: boolean;
  readonly saml: boolean;
}

export interface DemoServicePrincipal extends AppFact {
  readonly servicePrincipalId: string;
  readonly ownerTenantId: string;
  readonly credential: 'clientSecret' | 'certificate' | 'federatedIdentityCredential';
  readonly keyId: string;
  readonly thumbprint: string | null;
  readonly federatedCredentialId: string | null;
  readonly resources: readonly AppFact[];
  readonly origin: 'cloud' | 'office' | 'github';
  readonly weight: number;
  /** Fraction of the window after which its client secret has expired (7000222), if it does. */
  readonly secretExpiresAt: number | null;
}

export interface DemoManagedIdentity {
  readonly appId: string;
  readonly servicePrincipalId: string;
  readonly name: string;
  readonly msiType: 'systemAssigned' | 'userAssigned';
  readonly associatedResourceId: string;
  readonly resources: readonly AppFact[];
  readonly weight: number;
}

export interface DemoDirectory {
  readonly members: readonly DemoUser[];
  readonly guests: readonly DemoUser[];
  /** Cross-tenant identities that are not guests: direct connect, CSP, Microsoft support. */
  readonly externals: readonly DemoUser[];
  /** Members who reach other tenants' resources (passthrough sign-ins). */
  readonly passthroughResourceTenant: PartnerTenant;
  readonly apps: { readonly expenses: DemoApp; readonly hrPortal: DemoApp; readonly fieldService: DemoApp; readonly travel: DemoApp };
  readonly servicePrincipals: readonly DemoServicePrincipal[];
  readonly managedIdentities: readonly DemoManagedIdentity[];
  /** Resource service principal ids in the tenant, by app id. */
  readonly resourceServicePrincipalIds: ReadonlyMap<string, string>;
}

const SUBSCRIPTION_ID = stableGuid('contoso-demo:subscription:production');

function device(rng: Random, platform: Platform, opts: { compliant: boolean; trust: string; name: string; registered: boolean }): DemoDevice {
  const os = OS[platform];
  let browser: string;
  let userAgent: string;
  switch (platform) {
    case 'windows':
      browser = rng.chance(0.8) ? BROWSERS.edge : BROWSERS.chrome;
      userAgent = browser === BROWSERS.edge ? USER_AGENTS.edgeWindows : USER_AGENTS.chromeWindows;
      break;
    case 'macOS':
      browser = rng.chance(0.6) ? BROWSERS.chrome : BROWSERS.safari;
      userAgent = browser === BROWSERS.chrome ? USER_AGENTS.chromeMac : USER_AGENTS.safariMac;
      break;
    case 'iOS':
      browser = BROWSERS.mobileSafari;
      userAgent = USER_AGENTS.safariIphone;
      break;
    case 'android':
      browser = BROWSERS.chromeMobile;
      userAgent = USER_AGENTS.chromeAndroid;
      break;
    case 'linux':
      browser = BROWSERS.firefox;
      userAgent = USER_AGENTS.firefoxLinux;
      break;
  }
  const detail = (b: string): DeviceDetail =>
    opts.registered
      ? {
          deviceId: stableGuid(`contoso-demo:device:${opts.name}`),
          displayName: opts.name,
          operatingSystem: os,
          browser: b,
          isCompliant: opts.compliant,
          isManaged: opts.compliant || opts.trust === TRUST_TYPE.hybridJoined,
          trustType: opts.trust,
        }
      : { deviceId: '', operatingSystem: os, browser: b };
  return {
    platform,
    platformBit: PLATFORM[platform],
    mobile: platform === 'iOS' || platform === 'android',
    compliant: opts.registered && opts.compliant,
    hybridJoined: opts.registered && opts.trust === TRUST_TYPE.hybridJoined,
    registered: opts.registered,
    browserDetail: detail(browser),
    appDetail: detail(BROWSERS.richClient),
    userAgent,
  };
}

function unregistered(rng: Random, platform: Platform): DemoDevice {
  return device(rng, platform, { compliant: false, trust: '', name: '', registered: false });
}

function maskedPhone(rng: Random, countryCode: string): string {
  return `+${countryCode} XXXXXXXX${String(rng.int(100)).padStart(2, '0')}`;
}

/** A home broadband network per country, for people from other tenants. */
const HOME_NETWORK: Record<string, NetworkKey> = { US: 'comcast', CA: 'rogers', GB: 'bt', IE: 'eir', DE: 'deutscheTelekom', NL: 'kpn', FR: 'orange' };

const COUNTRY_CALLING_CODE: Record<string, string> = { US: '1', CA: '1', GB: '44', DE: '49', IN: '91', AU: '61', NL: '31', FR: '33', IE: '353' };

function pickWeighted<T>(rng: Random, entries: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of entries) total += w;
  let x = rng.float() * total;
  for (const [v, w] of entries) {
    x -= w;
    if (x < 0) return v;
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

function secondFactor(rng: Random): MethodKey {
  return pickWeighted<MethodKey>(rng, [
    ['push', 0.78],
    ['oath', 0.12],
    ['sms', 0.1],
  ]);
}

function buildMembers(rng: Random): DemoUser[] {
  const users: DemoUser[] = [];
  const usedUpns = new Set<string>();
  const officeWeights = OFFICES.map((o) => [o, o.share] as const);
  let deviceNo = 1000;
  const add = (u: Omit<DemoUser, 'index'>): void => {
    users.push({ ...u, index: users.length });
  };
  const memberCount = 300;
  for (let i = 0; i < memberCount; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    let local = `${first}.${last}`.toLowerCase();
    for (let n = 2; usedUpns.has(local); n++) local = `${first}.${last}${n}`.toLowerCase();
    usedUpns.add(local);
    const off = pickWeighted(rng, officeWeights);
    const homeKey = rng.pick(off.homes);
    const home = addressPool(homeKey, rng.pick(off.residential));
    const isAdmin = i < 9;
    const developer = isAdmin || rng.chance(0.15);
    let tags = TAG.member;
    if (isAdmin) tags |= TAG.admin;
    if (developer) tags |= TAG.developer;
    if (rng.chance(0.08)) tags |= TAG.finance;
    for (let g = 0; g < PILOT_GROUPS; g++) if (rng.chance(0.12)) tags |= TAG.pilot0 << g;
    const devices: DemoDevice[] = [];
    const mac = rng.chance(developer ? 0.3 : 0.1);
    const name = `CDM-${mac ? 'MAC' : 'LT'}-${deviceNo++}`;
    if (mac) {
      devices.push(device(rng, 'macOS', { compliant: rng.chance(0.95), trust: TRUST_TYPE.registered, name, registered: true }));
    } else {
      const hybrid = rng.chance(0.4);
      devices.push(device(rng, 'windows', { compliant: rng.chance(0.99), trust: hybrid ? TRUST_TYPE.hybridJoined : TRUST_TYPE.joined, name, registered: true }));
    }
    if (rng.chance(0.88)) {
      const ios = rng.chance(0.6);
      devices.push(
        device(rng, ios ? 'iOS' : 'android', { compliant: rng.chance(0.85), trust: TRUST_TYPE.registered, name: `${ios ? 'iPhone' : 'Android'}-${deviceNo++}`, registered: true }),
      );
    }
    if (developer && rng.chance(0.3)) devices.push(unregistered(rng, 'linux'));
    if (rng.chance(0.12)) devices.push(unregistered(rng, rng.chance(0.6) ? 'windows' : 'macOS'));
    const hasPasswordless = rng.chance(isAdmin ? 0.8 : 0.2);
    const passwordless: MethodKey | null = hasPasswordless
      ? pickWeighted<MethodKey>(rng, [
          ['fido2', isAdmin ? 0.6 : 0.2],
          ['phoneSignIn', 0.6],
          ['certificate', 0.1],
        ])
      : null;
    add({
      id: stableGuid(`contoso-demo:user:${local}`),
      displayName: `${first} ${last}`,
      upn: `${local}@${DEMO_TENANT.domain}`,
      kind: 'member',
      access: 'none',
      homeTenantId: DEMO_TENANT.id,
      tags,
      office: off,
      home,
      homeIp: `${home.v4Prefix}${rng.between(2, 254)}`,
      mobileNetworks: off.mobile.map((m) => addressPool(off.place.key, m)),
      devices,
      mfaMethod: secondFactor(rng),
      passwordless,
      passwordSource: rng.chance(0.85) ? PASSWORD_SOURCE.hashSync : PASSWORD_SOURCE.cloud,
      phone: maskedPhone(rng, COUNTRY_CALLING_CODE[off.place.country] ?? '1'),
      activity: 0.3 + rng.exponential(1),
      disabled: i >= memberCount - 3,
      perUserMfa: i >= 20 && i < 30,
    });
  }
  // Accounts that are not people: break-glass and legacy service accounts.
  const hq = OFFICES[0] as Office;
  const special = (local: string, displayName: string, tags: number, activity: number): void => {
    const wired = device(rng, 'windows', { compliant: false, trust: '', name: '', registered: false });
    add({
      id: stableGuid(`contoso-demo:user:${local}`),
      displayName,
      upn: `${local}@${DEMO_TENANT.domain}`,
      kind: 'member',
      access: 'none',
      homeTenantId: DEMO_TENANT.id,
      tags: TAG.member | tags,
      office: hq,
      home: addressPool(hq.place.key, 'comcast'),
      homeIp: hq.egress[0] as string,
      mobileNetworks: [],
      devices: [wired],
      mfaMethod: 'push',
      passwordless: null,
      passwordSource: PASSWORD_SOURCE.cloud,
      phone: maskedPhone(rng, '1'),
      activity,
      disabled: false,
      perUserMfa: false,
    });
  };
  special('breakglass01', 'Break Glass 01', TAG.breakGlass, 0.01);
  special('breakglass02', 'Break Glass 02', TAG.breakGlass, 0.005);
  special('svc-scanner', 'Scanner Service Account', TAG.serviceAccount | TAG.legacyAuthException, 0.6);
  special('svc-crm-mailbox', 'CRM Mailbox Connector', TAG.serviceAccount | TAG.legacyAuthException, 0.5);
  special('svc-legacy-erp', 'Legacy ERP Integration', TAG.serviceAccount, 0.3);
  return users;
}

function externalUser(
  rng: Random,
  index: number,
  tenant: PartnerTenant,
  kind: PrincipalKind,
  tags: number,
  names: { first: string; last: string },
  activity: number,
): DemoUser {
  const local = `${names.first}.${names.last}`.toLowerCase();
  const upn = `${local}@${tenant.domain}`;
  const home = addressPool(tenant.place, HOME_NETWORK[PLACES[tenant.place].country] ?? 'comcast');
  const platform: Platform = rng.chance(0.7) ? 'windows' : rng.chance(0.5) ? 'macOS' : 'iOS';
  return {
    index,
    id: stableGuid(`${tenant.id}:user:${local}`),
    displayName: `${names.first} ${names.last}`,
    upn,
    kind,
    access: tenant.relation,
    homeTenantId: tenant.id,
    tags,
    office: null,
    home,
    homeIp: `${home.v4Prefix}${rng.between(2, 254)}`,
    mobileNetworks: [],
    devices: [unregistered(rng, platform)],
    mfaMethod: secondFactor(rng),
    passwordless: null,
    passwordSource: PASSWORD_SOURCE.cloud,
    phone: maskedPhone(rng, '1'),
    activity,
    disabled: false,
    perUserMfa: false,
  };
}

function randomName(rng: Random): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

function buildGuests(rng: Random): DemoUser[] {
  const homes: PartnerTenant[] = [PARTNER_TENANTS.fabrikam, PARTNER_TENANTS.northwind, PARTNER_TENANTS.tailspin, PARTNER_TENANTS.woodgrove, PARTNER_TENANTS.consumers];
  const counts = [12, 10, 7, 6, 5];
  const guests: DemoUser[] = [];
  const used = new Set<string>();
  homes.forEach((t, ti) => {
    for (let i = 0; i < (counts[ti] as number); i++) {
      let n = randomName(rng);
      while (used.has(`${n.first}.${n.last}@${t.domain}`)) n = randomName(rng);
      used.add(`${n.first}.${n.last}@${t.domain}`);
      guests.push(externalUser(rng, guests.length, t, 'guest', TAG.guest, n, 0.2 + rng.exponential(0.6)));
    }
  });
  return guests;
}

function buildExternals(rng: Random): DemoUser[] {
  const out: DemoUser[] = [];
  for (let i = 0; i < 6; i++) out.push(externalUser(rng, out.length, PARTNER_TENANTS.adatum, 'directConnect', TAG.directConnect, randomName(rng), 1));
  for (let i = 0; i < 3; i++) out.push(externalUser(rng, out.length, PARTNER_TENANTS.litware, 'serviceProvider', TAG.serviceProvider, randomName(rng), 1));
  for (let i = 0; i < 2; i++) out.push(externalUser(rng, out.length, PARTNER_TENANTS.microsoft, 'microsoftSupport', TAG.microsoftSupport, randomName(rng), 1));
  return out;
}

function lobApp(name: string, owner: string, opts: { web: boolean; assignmentRequired: boolean; saml: boolean }): DemoApp {
  return {
    id: stableGuid(`contoso-demo:app:${name}`),
    name,
    ownerTenantId: owner,
    servicePrincipalId: stableGuid(`contoso-demo:sp:${name}`),
    ...opts,
  };
}

function thumbprint(name: string): string {
  let out = '';
  for (let i = 0; out.length < 40; i++) out += stableGuid(`${name}:${i}`).replace(/-/g, '');
  return out.slice(0, 40).toUpperCase();
}

function servicePrincipal(
  name: string,
  credential: DemoServicePrincipal['credential'],
  resources: AppFact[],
  origin: DemoServicePrincipal['origin'],
  weight: number,
  opts: { owner?: string; secretExpiresAt?: number } = {},
): DemoServicePrincipal {
  return {
    id: stableGuid(`contoso-demo:app:${name}`),
    name,
    servicePrincipalId: stableGuid(`contoso-demo:sp:${name}`),
    ownerTenantId: opts.owner ?? DEMO_TENANT.id,
    credential,
    keyId: stableGuid(`contoso-demo:key:${name}`),
    thumbprint: credential === 'certificate' ? thumbprint(name) : null,
    federatedCredentialId: credential === 'federatedIdentityCredential' ? stableGuid(`contoso-demo:fic:${name}`) : null,
    resources,
    origin,
    weight,
    secretExpiresAt: opts.secretExpiresAt ?? null,
  };
}

function managedIdentity(name: string, msiType: DemoManagedIdentity['msiType'], resourceGroup: string, provider: string, resources: AppFact[], weight: number): DemoManagedIdentity {
  return {
    appId: stableGuid(`contoso-demo:msi-app:${name}`),
    servicePrincipalId: stableGuid(`contoso-demo:msi-sp:${name}`),
    name,
    msiType,
    associatedResourceId: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${resourceGroup}/providers/${provider}/${name}`,
    resources,
    weight,
  };
}

function buildDirectory(): DemoDirectory {
  const rng = new Random(0x5eed_c0de);
  const members = buildMembers(rng);
  const guests = buildGuests(rng);
  const externals = buildExternals(rng);
  const apps = {
    expenses: lobApp('Contoso Expenses', DEMO_TENANT.id, { web: true, assignmentRequired: true, saml: false }),
    hrPortal: lobApp('Contoso HR Portal', DEMO_TENANT.id, { web: true, assignmentRequired: true, saml: true }),
    fieldService: lobApp('Contoso Field Service', DEMO_TENANT.id, { web: false, assignmentRequired: false, saml: false }),
    travel: lobApp('Fabrikam Travel Booking', PARTNER_TENANTS.fabrikam.id, { web: true, assignmentRequired: false, saml: false }),
  };
  const g = APPS.graph;
  const servicePrincipals = [
    servicePrincipal('Contoso Backup Automation', 'clientSecret', [g, APPS.sharePoint], 'cloud', 3, { secretExpiresAt: 0.8 }),
    servicePrincipal('Contoso HR Sync', 'certificate', [g], 'office', 3),
    servicePrincipal('Contoso Payroll Export', 'clientSecret', [g, APPS.sharePoint], 'office', 1.5),
    servicePrincipal('GitHub Actions Deploy', 'federatedIdentityCredential', [APPS.azureManagement], 'github', 2),
    servicePrincipal('Terraform Pipeline', 'clientSecret', [APPS.azureManagement, g], 'github', 1.5),
    servicePrincipal('Contoso Monitoring Agent', 'certificate', [g, APPS.azureManagement], 'cloud', 4),
    servicePrincipal('Contoso SharePoint Archiver', 'certificate', [APPS.sharePoint], 'cloud', 1),
    servicePrincipal('Contoso Mail Relay', 'certificate', [APPS.exchange], 'cloud', 2),
    servicePrincipal('Contoso Data Platform', 'federatedIdentityCredential', [APPS.storage, APPS.keyVault], 'cloud', 2),
    servicePrincipal('Fabrikam Travel Booking', 'clientSecret', [g], 'cloud', 1, { owner: PARTNER_TENANTS.fabrikam.id }),
  ];
  const managedIdentities = [
    managedIdentity('vm-contoso-web01', 'systemAssigned', 'rg-contoso-web', 'Microsoft.Compute/virtualMachines', [APPS.keyVault, APPS.azureManagement], 3),
    managedIdentity('func-contoso-payroll', 'systemAssigned', 'rg-contoso-payroll', 'Microsoft.Web/sites', [APPS.storage, APPS.keyVault, g], 3),
    managedIdentity('logic-contoso-invoices', 'systemAssigned', 'rg-contoso-finance', 'Microsoft.Logic/workflows', [g, APPS.storage], 1),
    managedIdentity('id-contoso-aks-workload', 'userAssigned', 'rg-contoso-identity', 'Microsoft.ManagedIdentity/userAssignedIdentities', [APPS.keyVault, APPS.storage], 4),
    managedIdentity('id-contoso-automation', 'userAssigned', 'rg-contoso-identity', 'Microsoft.ManagedIdentity/userAssignedIdentities', [APPS.azureManagement, g], 1.5),
  ];
  const resourceServicePrincipalIds = new Map<string, string>();
  for (const a of Object.values(APPS)) resourceServicePrincipalIds.set(a.id, stableGuid(`contoso-demo:resource-sp:${a.id}`));
  for (const a of Object.values(apps)) resourceServicePrincipalIds.set(a.id, a.servicePrincipalId);
  return {
    members,
    guests,
    externals,
    passthroughResourceTenant: PARTNER_TENANTS.proseware,
    apps,
    servicePrincipals,
    managedIdentities,
    resourceServicePrincipalIds,
  };
}

// Number every address pool the tenant uses, in a fixed order (see addressPool).
for (const o of OFFICES) {
  for (const home of o.homes) for (const net of o.residential) addressPool(home, net);
  for (const m of o.mobile) addressPool(o.place.key, m);
}
for (const [p, n] of TRAVEL) addressPool(p, n);
for (const t of Object.values(PARTNER_TENANTS)) addressPool(t.place, HOME_NETWORK[PLACES[t.place].country] ?? 'comcast');
poolsComplete = true;

let directory: DemoDirectory | null = null;

/** The demo tenant's directory (built on first use; the same for every seed). */
export function demoDirectory(): DemoDirectory {
  directory ??= buildDirectory();
  return directory;
}
