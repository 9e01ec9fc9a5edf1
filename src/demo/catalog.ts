// Facts the demo tenant is built from: Microsoft first-party application IDs and names, places,
// networks, devices, authentication method strings and AADSTS error codes with their texts.
// Facts only (ids, names, enum-like strings, short failure reasons); the behaviour lives elsewhere.
//
// Addresses: every IP the demo emits comes from ranges reserved for documentation and benchmarking
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15, 2001:db8::/32), so no real
// network is ever named. ASNs are those of the networks the address stands in for.

/** Owner of Microsoft's first-party applications (the "Microsoft Services" tenant). */
export const MICROSOFT_SERVICES_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
/** Microsoft's own corporate tenant: home of Microsoft support engineers. */
export const MICROSOFT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** Home tenant of personal Microsoft accounts (consumer guests). */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface AppFact {
  readonly id: string;
  readonly name: string;
}

/** First-party applications and resources (well-known application IDs). */
export const APPS = {
  azurePortal: { id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  teams: { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  teamsWeb: { id: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', name: 'Microsoft Teams Web Client' },
  teamsServices: { id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
  office: { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' },
  officeHome: { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  office365Portal: { id: '00000006-0000-0ff1-ce00-000000000000', name: 'Microsoft Office 365 Portal' },
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  sharePoint: { id: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  skype: { id: '00000004-0000-0ff1-ce00-000000000000', name: 'Skype for Business Online' },
  graph: { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  aadGraph: { id: '00000002-0000-0000-c000-000000000000', name: 'Windows Azure Active Directory' },
  azureManagement: { id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', name: 'Windows Azure Service Management API' },
  azureCli: { id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', name: 'Microsoft Azure CLI' },
  azurePowerShell: { id: '1950a258-227b-4e31-a9cf-717495945fc2', name: 'Microsoft Azure PowerShell' },
  aadPowerShell: { id: '1b730954-1685-4b74-9bfd-dac224a7b894', name: 'Azure Active Directory PowerShell' },
  vsCode: { id: 'aebc6443-996d-45c2-90f0-388ff96faa56', name: 'Visual Studio Code' },
  outlookMobile: { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' },
  authBroker: { id: '29d9ed98-a469-4536-ade2-f981bc1d605e', name: 'Microsoft Authentication Broker' },
  windowsSignIn: { id: '38aa3b87-a06d-4817-b275-7a316988d93b', name: 'Windows Sign In' },
  edge: { id: 'ecd6b820-32c2-49b6-98a6-444530e5a77a', name: 'Microsoft Edge' },
  oneDriveSync: { id: 'ab9b8c07-8f02-4f72-87fa-80105867a763', name: 'OneDrive SyncEngine' },
  companyPortal: { id: '9ba1a5c7-f17a-4de9-a1f1-6178c8d51223', name: 'Microsoft Intune Company Portal' },
  intune: { id: '0000000a-0000-0000-c000-000000000000', name: 'Microsoft Intune' },
  deviceRegistration: { id: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9', name: 'Device Registration Service' },
  keyVault: { id: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093', name: 'Azure Key Vault' },
  storage: { id: 'e406a681-f3d4-42a8-90b6-c2b029497af1', name: 'Azure Storage' },
  powerBi: { id: '00000009-0000-0000-c000-000000000000', name: 'Power BI Service' },
  graphExplorer: { id: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', name: 'Graph Explorer' },
} as const satisfies Record<string, AppFact>;

export type AppKey = keyof typeof APPS;

/** Places sign-ins come from. Coordinates are city centres (degrees). */
export interface PlaceFact {
  readonly city: string;
  readonly state: string;
  /** ISO 3166-1 alpha-2, as Entra writes `countryOrRegion`. */
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** Standard-time offset from UTC in hours (no daylight saving: a demo needs only the rhythm). */
  readonly utcOffset: number;
}

export const PLACES = {
  seattle: { city: 'Seattle', state: 'Washington', country: 'US', lat: 47.6062, lon: -122.3321, utcOffset: -8 },
  redmond: { city: 'Redmond', state: 'Washington', country: 'US', lat: 47.674, lon: -122.1215, utcOffset: -8 },
  tacoma: { city: 'Tacoma', state: 'Washington', country: 'US', lat: 47.2529, lon: -122.4443, utcOffset: -8 },
  quincy: { city: 'Quincy', state: 'Washington', country: 'US', lat: 47.2343, lon: -119.8526, utcOffset: -8 },
  newYork: { city: 'New York', state: 'New York', country: 'US', lat: 40.7128, lon: -74.006, utcOffset: -5 },
  jerseyCity: { city: 'Jersey City', state: 'New Jersey', country: 'US', lat: 40.7178, lon: -74.0431, utcOffset: -5 },
  boston: { city: 'Boston', state: 'Massachusetts', country: 'US', lat: 42.3601, lon: -71.0589, utcOffset: -5 },
  boydton: { city: 'Boydton', state: 'Virginia', country: 'US', lat: 36.6676, lon: -78.3875, utcOffset: -5 },
  chicago: { city: 'Chicago', state: 'Illinois', country: 'US', lat: 41.8781, lon: -87.6298, utcOffset: -6 },
  austin: { city: 'Austin', state: 'Texas', country: 'US', lat: 30.2672, lon: -97.7431, utcOffset: -6 },
  denver: { city: 'Denver', state: 'Colorado', country: 'US', lat: 39.7392, lon: -104.9903, utcOffset: -7 },
  toronto: { city: 'Toronto', state: 'Ontario', country: 'CA', lat: 43.6532, lon: -79.3832, utcOffset: -5 },
  ottawa: { city: 'Ottawa', state: 'Ontario', country: 'CA', lat: 45.4215, lon: -75.6972, utcOffset: -5 },
  london: { city: 'London', state: 'England', country: 'GB', lat: 51.5074, lon: -0.1278, utcOffset: 0 },
  manchester: { city: 'Manchester', state: 'England', country: 'GB', lat: 53.4808, lon: -2.2426, utcOffset: 0 },
  dublin: { city: 'Dublin', state: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603, utcOffset: 0 },
  berlin: { city: 'Berlin', state: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, utcOffset: 1 },
  munich: { city: 'Munich', state: 'Bavaria', country: 'DE', lat: 48.1351, lon: 11.582, utcOffset: 1 },
  frankfurt: { city: 'Frankfurt am Main', state: 'Hesse', country: 'DE', lat: 50.1109, lon: 8.6821, utcOffset: 1 },
  amsterdam: { city: 'Amsterdam', state: 'North Holland', country: 'NL', lat: 52.3676, lon: 4.9041, utcOffset: 1 },
  paris: { city: 'Paris', state: 'Ile-de-France', country: 'FR', lat: 48.8566, lon: 2.3522, utcOffset: 1 },
  madrid: { city: 'Madrid', state: 'Madrid', country: 'ES', lat: 40.4168, lon: -3.7038, utcOffset: 1 },
  bengaluru: { city: 'Bengaluru', state: 'Karnataka', country: 'IN', lat: 12.9716, lon: 77.5946, utcOffset: 5.5 },
  mumbai: { city: 'Mumbai', state: 'Maharashtra', country: 'IN', lat: 19.076, lon: 72.8777, utcOffset: 5.5 },
  singapore: { city: 'Singapore', state: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198, utcOffset: 8 },
  tokyo: { city: 'Tokyo', state: 'Tokyo', country: 'JP', lat: 35.6762, lon: 139.6503, utcOffset: 9 },
  sydney: { city: 'Sydney', state: 'New South Wales', country: 'AU', lat: -33.8688, lon: 151.2093, utcOffset: 10 },
  melbourne: { city: 'Melbourne', state: 'Victoria', country: 'AU', lat: -37.8136, lon: 144.9631, utcOffset: 10 },
  mexicoCity: { city: 'Mexico City', state: 'Ciudad de Mexico', country: 'MX', lat: 19.4326, lon: -99.1332, utcOffset: -6 },
  saoPaulo: { city: 'Sao Paulo', state: 'Sao Paulo', country: 'BR', lat: -23.5505, lon: -46.6333, utcOffset: -3 },
  capeTown: { city: 'Cape Town', state: 'Western Cape', country: 'ZA', lat: -33.9249, lon: 18.4241, utcOffset: 2 },
} as const satisfies Record<string, PlaceFact>;

export type PlaceKey = keyof typeof PLACES;

/** Countries in the tenant's "Allowed countries" named location (the country block policy's exclusion). */
export const ALLOWED_COUNTRIES: ReadonlySet<string> = new Set(['US', 'CA', 'GB', 'IE', 'DE', 'NL', 'FR', 'ES', 'IN', 'SG', 'JP', 'AU']);

/** Networks (autonomous systems) addresses are drawn from. */
export interface NetworkFact {
  readonly asn: number;
  readonly kind: 'business' | 'residential' | 'mobile' | 'hosting' | 'cloud';
}

export const NETWORKS = {
  zayo: { asn: 6461, kind: 'business' },
  cogent: { asn: 174, kind: 'business' },
  colt: { asn: 8220, kind: 'business' },
  tata: { asn: 4755, kind: 'business' },
  comcast: { asn: 7922, kind: 'residential' },
  verizon: { asn: 701, kind: 'residential' },
  verizonWireless: { asn: 22394, kind: 'mobile' },
  tMobileUs: { asn: 21928, kind: 'mobile' },
  rogers: { asn: 812, kind: 'residential' },
  bell: { asn: 577, kind: 'residential' },
  bt: { asn: 2856, kind: 'residential' },
  virginMedia: { asn: 5089, kind: 'residential' },
  vodafoneUk: { asn: 25135, kind: 'mobile' },
  deutscheTelekom: { asn: 3320, kind: 'residential' },
  vodafoneDe: { asn: 3209, kind: 'mobile' },
  airtel: { asn: 24560, kind: 'mobile' },
  jio: { asn: 55836, kind: 'mobile' },
  telstra: { asn: 1221, kind: 'residential' },
  optus: { asn: 4804, kind: 'mobile' },
  eir: { asn: 5466, kind: 'residential' },
  orange: { asn: 3215, kind: 'residential' },
  ntt: { asn: 2914, kind: 'business' },
  singtel: { asn: 7473, kind: 'mobile' },
  telefonica: { asn: 3352, kind: 'residential' },
  kpn: { asn: 1136, kind: 'residential' },
  telmex: { asn: 8151, kind: 'residential' },
  vivo: { asn: 26599, kind: 'mobile' },
  vodacom: { asn: 29975, kind: 'mobile' },
  microsoft: { asn: 8075, kind: 'cloud' },
  digitalOcean: { asn: 14061, kind: 'hosting' },
  m247: { asn: 9009, kind: 'hosting' },
  ovh: { asn: 16276, kind: 'hosting' },
} as const satisfies Record<string, NetworkFact>;

export type NetworkKey = keyof typeof NETWORKS;

/** `deviceDetail.operatingSystem` as Entra writes it. */
export const OS = { windows: 'Windows10', macOS: 'MacOs', iOS: 'Ios', android: 'Android', linux: 'Linux' } as const;

/** `deviceDetail.trustType` values. */
export const TRUST_TYPE = {
  joined: 'Azure AD joined',
  hybridJoined: 'Hybrid Azure AD joined',
  registered: 'Azure AD registered',
} as const;

/** `clientAppUsed` values. */
export const CLIENT_APP = {
  browser: 'Browser',
  mobileDesktop: 'Mobile Apps and Desktop clients',
  exchangeActiveSync: 'Exchange ActiveSync',
  smtp: 'Authenticated SMTP',
  imap: 'IMAP4',
  other: 'Other clients',
} as const;

/** Browser user agents per platform (recent stable versions). */
export const USER_AGENTS = {
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  /** Windows' Web Account Manager asking for tokens with the device's primary refresh token. */
  windowsWam: 'Windows-AzureAD-Authentication-Provider/1.0',
  /** Basic authentication converted to ROPC: legacy clients and password sprays. */
  bav2ropc: 'BAV2ROPC',
} as const;

/** `deviceDetail.browser` strings. */
export const BROWSERS = {
  edge: 'Edge 131.0.0',
  chrome: 'Chrome 131.0.0',
  safari: 'Safari 18.1',
  mobileSafari: 'Mobile Safari 18.1',
  chromeMobile: 'Chrome Mobile 131.0.0',
  firefox: 'Firefox 133.0',
  richClient: 'Rich Client 4.66.0.0',
} as const;

/** `authenticationDetails[].authenticationMethod` strings (as the portal and workbooks show them). */
export const METHOD = {
  password: 'Password',
  push: 'Mobile app notification',
  sms: 'Text message',
  oath: 'OATH verification code',
  previouslySatisfied: 'Previously satisfied',
  fido2: 'FIDO2 security key',
  whfb: 'Windows Hello for Business',
  phoneSignIn: 'Passwordless phone sign-in',
  tap: 'Temporary Access Pass',
  certificate: 'X.509 Certificate',
} as const;

export type MethodKey = keyof typeof METHOD;

/** `authenticationMethodsUsed` values Graph documents, for the methods that have one. */
export const METHODS_USED: Partial<Record<MethodKey, string>> = {
  password: 'Password',
  push: 'Authenticator App',
  sms: 'SMS',
  oath: 'App Verification code',
  fido2: 'FIDO',
};

export const STEP = {
  primary: 'Primary authentication',
  mfa: 'Multifactor authentication',
} as const;

/** `authenticationStepResultDetail` strings. */
export const STEP_RESULT = {
  correctPassword: 'Correct password',
  invalidPassword: 'Invalid username or password or Invalid on-premise username or password.',
  mfaCompleted: 'MFA successfully completed',
  mfaByClaim: 'MFA requirement satisfied by claim in the token',
  firstFactorByClaim: 'First factor requirement satisfied by claim in the token',
  declined: 'MFA denied; user declined the authentication',
  noResponse: 'MFA denied; user did not respond to mobile app notification',
  wrongCode: 'MFA denied; user entered incorrect code',
  inProgress: 'Authentication in progress',
} as const;

/** `authenticationMethodDetail` for a password: where it was checked. */
export const PASSWORD_SOURCE = {
  hashSync: 'Password Hash Sync',
  cloud: 'Password in the cloud',
} as const;

/**
 * AADSTS codes the demo emits, with a short failure reason: the first sentence of the code's
 * description in Microsoft's error-code reference (500121 from the sign-in report error page).
 */
export const ERRORS = {
  50126: 'Error validating credentials due to invalid username or password.',
  50053: 'The account is locked because the user tried to sign in too many times with an incorrect user ID or password.',
  50055: 'The password is expired.',
  50144: "User's Active Directory password has expired.",
  50057: 'The user account is disabled.',
  50034: 'To sign into this application, the account must be added to the directory.',
  50058: "Session information isn't sufficient for single-sign-on.",
  50072: 'User needs to enroll for second factor authentication (interactive).',
  50074: 'Strong authentication is required and the user did not pass the MFA challenge.',
  50076:
    'Due to a configuration change made by the admin such as a Conditional Access policy, per-user enforcement, or because you moved to a new location, the user must use multifactor authentication to access the resource.',
  500121: 'Authentication failed during strong authentication request.',
  50097: 'Device authentication is required.',
  50105: "The signed in user isn't assigned to a role for the signed in app.",
  50125: 'Sign-in was interrupted because of a password reset or password registration entry.',
  50133: "The session isn't valid due to password expiration or recent password change.",
  50140: 'This error occurred due to "Keep me signed in" interrupt when the user was signing-in.',
  50158: 'External security challenge was not satisfied.',
  50173: 'The provided grant has expired due to it being revoked, and a fresh auth token is needed.',
  53000: "Conditional Access policy requires a compliant device, and the device isn't compliant.",
  53001: "Conditional Access policy requires a domain joined device, and the device isn't domain joined.",
  53002: "The app used isn't an approved app for Conditional Access.",
  53003: 'Access has been blocked by Conditional Access policies.',
  530032: 'The tenant admin has configured a security policy that blocks this request.',
  530034: 'A delegated administrator was blocked from accessing the tenant due to account risk in their home tenant.',
  65001: "The user or administrator hasn't consented to use the application.",
  70043: 'The refresh token has expired or is invalid due to sign-in frequency checks by Conditional Access.',
  700016: "The application wasn't found in the directory/tenant.",
  700027: 'Client assertion failed signature validation.',
  700082: 'The refresh token has expired due to inactivity.',
  7000215: 'Invalid client secret is provided.',
  7000222: 'The provided client secret keys are expired.',
  81010: "Seamless SSO failed because the user's Kerberos ticket has expired or is invalid.",
  90072:
    "The external account that the user signs in with doesn't exist on the tenant that they signed into; so the user can't satisfy the MFA requirements for the tenant.",
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** `authenticationProcessingDetails` keys. */
export const PROCESSING_KEY = {
  cae: 'Is CAE Token',
  legacyTls: 'Legacy TLS (TLS 1.0, 1.1, 3DES)',
} as const;

/** First and last names for the tenant's people (common names, combined at random). */
export const FIRST_NAMES: readonly string[] = [
  'Adele', 'Alex', 'Allan', 'Amelia', 'Ana', 'Arjun', 'Ben', 'Brian', 'Camila', 'Carlos', 'Chen', 'Chloe', 'Christie', 'Daniel',
  'Debra', 'Diego', 'Elena', 'Emily', 'Ethan', 'Fatima', 'Felix', 'Grace', 'Grady', 'Hannah', 'Hiro', 'Isaac', 'Isabel',
  'Jakob', 'James', 'Johanna', 'Joni', 'Jun', 'Kenji', 'Laura', 'Lee', 'Lena', 'Lidia', 'Liam', 'Lucas', 'Lynne', 'Maria',
  'Megan', 'Miguel', 'Mia', 'Miriam', 'Nestor', 'Noah', 'Olivia', 'Omar', 'Patti', 'Pradeep', 'Priya', 'Raul', 'Rahul',
  'Sakura', 'Samuel', 'Sara', 'Sofia', 'Tom', 'Wei', 'Yuki', 'Zoe',
];

export const LAST_NAMES: readonly string[] = [
  'Adams', 'Ahmed', 'Bauer', 'Brown', 'Campbell', 'Chen', 'Clark', 'Costa', 'Das', 'Diaz', 'Evans', 'Fischer', 'Garcia',
  'Gonzalez', 'Gupta', 'Hall', 'Harris', 'Hoffmann', 'Ito', 'Jackson', 'Johnson', 'Kaur', 'Khan', 'Kim', 'Klein', 'Kumar',
  'Lee', 'Lopez', 'Martin', 'Meyer', 'Miller', 'Moore', 'Muller', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Olsen', 'Patel',
  'Perez', 'Reddy', 'Richter', 'Rossi', 'Santos', 'Sato', 'Schmidt', 'Sharma', 'Silva', 'Singh', 'Smith', 'Suzuki',
  'Tanaka', 'Taylor', 'Thomas', 'Torres', 'Wagner', 'Walker', 'Wang', 'Weber', 'White', 'Wilson', 'Young',
];
