// What record builders share while one demo data set is generated: the seeded randomness, the
// tenant, the policies, the time window, and the queue records are scheduled into. Also the small
// immutable sub-objects many records share (statuses, processing details).
import type { KeyValue, NetworkLocationDetail, SignInStatus } from '@microsoft/microsoft-graph-types-beta';
import { ERRORS, PROCESSING_KEY, type ErrorCode } from './catalog.js';
import type { DemoPolicy } from './policies.js';
import type { Random } from './random.js';
import type { DemoDirectory } from './tenant.js';
import type { SignInRecord } from '../model/sign-in.js';

export interface Scene {
  readonly rng: Random;
  readonly seed: number;
  readonly dir: DemoDirectory;
  readonly userPolicies: readonly DemoPolicy[];
  readonly workloadPolicies: readonly DemoPolicy[];
  /** Window length in 100 ns ticks; record times are ticks from the window's start. */
  readonly windowTicks: number;
  /** Window start, Unix milliseconds. */
  readonly startMs: number;
  /** Graph time text for a tick offset. */
  time(t: number): string;
  /** Schedules a record at tick `t` (never before the current event's start). */
  push(t: number, record: SignInRecord): void;
  /** How many more records the current event may schedule (the total count is exact). */
  readonly budget: number;
}

const statuses = new Map<number, SignInStatus>();

/** The shared `status` object for an AADSTS code (0 = success). */
export function status(code: 0 | ErrorCode): SignInStatus {
  let s = statuses.get(code);
  if (!s) {
    s = code === 0 ? { errorCode: 0 } : { errorCode: code, failureReason: ERRORS[code] };
    statuses.set(code, s);
  }
  return s;
}

const detailedStatuses = new Map<string, SignInStatus>();

/** A status with `additionalDetails` (MFA denials carry the step's result detail there). */
export function statusWithDetails(code: ErrorCode, additionalDetails: string): SignInStatus {
  const key = `${code}|${additionalDetails}`;
  let s = detailedStatuses.get(key);
  if (!s) {
    s = { errorCode: code, failureReason: ERRORS[code], additionalDetails };
    detailedStatuses.set(key, s);
  }
  return s;
}

/** authenticationProcessingDetails with and without a CAE token. */
export const PROCESSING_CAE: KeyValue[] = [
  { key: PROCESSING_KEY.legacyTls, value: 'False' },
  { key: PROCESSING_KEY.cae, value: 'True' },
];
export const PROCESSING_NO_CAE: KeyValue[] = [
  { key: PROCESSING_KEY.legacyTls, value: 'False' },
  { key: PROCESSING_KEY.cae, value: 'False' },
];

export const NO_NETWORK_DETAILS: NetworkLocationDetail[] = [];
/** The shared empty list (frozen: many records hold it). */
export const EMPTY = Object.freeze([]) as never[];

/** Network location details per named location (made once). */
const networkDetails = new Map<string, NetworkLocationDetail[]>();

export function namedLocation(name: string, trusted: boolean): NetworkLocationDetail[] {
  let d = networkDetails.get(name);
  if (!d) {
    d = [{ networkType: trusted ? 'trustedNamedLocation' : 'namedNetwork', networkNames: [name] }];
    networkDetails.set(name, d);
  }
  return d;
}
