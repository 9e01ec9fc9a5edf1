// The demo tenant generator: a deterministic stream of realistic sign-ins (Graph beta `signIn`
// records, canonical as the store keeps them) in ascending time, for demos, tests and benchmarks.
// Same options → byte-identical output.
import type { SignInRecord } from '../model/sign-in.js';
import { formatDateTime } from '../model/time.js';
import { APPS } from './catalog.js';
import { BASE_POLICY_COUNT, TAG, buildPolicies, type DemoPolicy } from './policies.js';
import { Random, Weighted } from './random.js';
import type { Scene } from './scene.js';
import { DEMO_TENANT, OFFICES, demoDirectory, type DemoDirectory, type DemoUser, type Office } from './tenant.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MS, localActivity, slotTimes } from './timeline.js';
import { interactiveEvent, nonInteractiveEvent, passwordSpray, type InteractivePrincipal, type NonInteractivePrincipal } from './user-sign-ins.js';
import { managedIdentityEvent, servicePrincipalEvent } from './workload-sign-ins.js';

export interface DemoOptions {
  /** How many sign-ins (line items) to generate: exactly this many. */
  signIns: number;
  /** Length of the window, in days, ending at `end`. */
  days: number;
  /** Seed of the traffic; the tenant itself is the same for every seed. */
  seed: number;
  /** End of the window (exclusive). */
  end: Date;
  /** Number of Conditional Access policies: default 20 (the base set); fewer keeps the first ones, more adds narrower filler policies. */
  policies?: number;
}

/** The demo tenant as later features (reports, diagnostics, tests) refer to it. */
export interface DemoTenantDescription {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  /** Every policy, user-targeted and workload-identity ones, in the order sign-ins list them. */
  readonly policies: readonly DemoPolicy[];
  readonly userPolicies: readonly DemoPolicy[];
  readonly workloadPolicies: readonly DemoPolicy[];
  readonly directory: DemoDirectory;
}

const descriptions = new Map<number, DemoTenantDescription>();

/** The demo tenant with `policies` Conditional Access policies (made once per count). */
export function demoTenant(policies: number = BASE_POLICY_COUNT): DemoTenantDescription {
  let d = descriptions.get(policies);
  if (!d) {
    const directory = demoDirectory();
    const [hrSync, payroll] = ['Contoso HR Sync', 'Contoso Payroll Export'].map(
      (n) => directory.servicePrincipals.find((s) => s.name === n)?.servicePrincipalId ?? '',
    );
    const all = buildPolicies(policies, {
      tenantServicePrincipals: new Set(directory.servicePrincipals.filter((s) => s.ownerTenantId === DEMO_TENANT.id).map((s) => s.servicePrincipalId)),
      onPremisesServicePrincipals: [hrSync ?? '', payroll ?? ''],
      financeAppId: directory.apps.expenses.id,
      fillerResources: [APPS.exchange, APPS.sharePoint, APPS.teamsServices, APPS.graph, APPS.azureManagement, directory.apps.expenses, directory.apps.hrPortal],
    });
    d = {
      ...DEMO_TENANT,
      policies: all,
      userPolicies: all.filter((p) => p.target === 'users'),
      workloadPolicies: all.filter((p) => p.target === 'workloadIdentities'),
      directory,
    };
    descriptions.set(policies, d);
  }
  return d;
}

/** Target shares of line items per sign-in event type (non-interactive far more numerous). */
export const EVENT_TYPE_SHARES = {
  nonInteractiveUser: 0.65,
  interactiveUser: 0.22,
  servicePrincipal: 0.09,
  managedIdentity: 0.04,
} as const;

type EventType = keyof typeof EVENT_TYPE_SHARES;
const EVENT_TYPES = Object.keys(EVENT_TYPE_SHARES) as EventType[];

function checkOptions(o: DemoOptions): void {
  if (!Number.isSafeInteger(o.signIns) || o.signIns < 0) throw new RangeError(`signIns must be a non-negative integer, got ${o.signIns}`);
  if (!(o.days > 0) || !Number.isFinite(o.days)) throw new RangeError(`days must be a positive number, got ${o.days}`);
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a number, got ${o.seed}`);
  if (!(o.end instanceof Date) || Number.isNaN(o.end.getTime())) throw new RangeError('end must be a valid Date');
  if (o.policies !== undefined && (!Number.isSafeInteger(o.policies) || o.policies < 0)) {
    throw new RangeError(`policies must be a non-negative integer, got ${o.policies}`);
  }
}

/** A min-heap of scheduled records by (time, order scheduled): flows schedule ahead of the clock. */
class Pending {
  private times: number[] = [];
  private seqs: number[] = [];
  private recs: SignInRecord[] = [];
  private seq = 0;

  get size(): number {
    return this.times.length;
  }

  peekTime(): number {
    return this.times[0] as number;
  }

  private less(i: number, j: number): boolean {
    const a = this.times[i] as number;
    const b = this.times[j] as number;
    return a < b || (a === b && (this.seqs[i] as number) < (this.seqs[j] as number));
  }

  private swap(i: number, j: number): void {
    const t = this.times[i] as number;
    this.times[i] = this.times[j] as number;
    this.times[j] = t;
    const s = this.seqs[i] as number;
    this.seqs[i] = this.seqs[j] as number;
    this.seqs[j] = s;
    const r = this.recs[i] as SignInRecord;
    this.recs[i] = this.recs[j] as SignInRecord;
    this.recs[j] = r;
  }

  push(t: number, rec: SignInRecord): void {
    this.times.push(t);
    this.seqs.push(this.seq++);
    this.recs.push(rec);
    let i = this.times.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): SignInRecord {
    const top = this.recs[0] as SignInRecord;
    const last = this.times.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.recs.pop();
    const n = this.times.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/** Who the people are at a given hour: offices weighted by their local working rhythm. */
class PeoplePicker {
  private readonly byHourOfWeek: Weighted<Office>[];
  private readonly byOffice = new Map<Office, Weighted<DemoUser>>();
  readonly guests: Weighted<DemoUser>;
  readonly directConnect: readonly DemoUser[];
  readonly technicians: readonly DemoUser[];

  constructor(dir: DemoDirectory) {
    // Index h = hours since the epoch modulo a week; the epoch week starts on a Thursday, which
    // localActivity accounts for, so a representative instant per index is h hours after it.
    this.byHourOfWeek = Array.from(
      { length: 168 },
      (_, h) => new Weighted(OFFICES.map((o) => [o, o.share * localActivity(h * 3_600_000 + 1_800_000, o.place.utcOffset) + 1e-9] as const)),
    );
    for (const o of OFFICES) {
      // Service and emergency-access accounts have events of their own.
      const people = dir.members.filter((u) => u.office === o && (u.tags & (TAG.serviceAccount | TAG.breakGlass)) === 0);
      if (people.length > 0) this.byOffice.set(o, new Weighted(people.map((u) => [u, u.disabled ? u.activity * 0.25 : u.activity] as const)));
    }
    this.guests = new Weighted(dir.guests.map((u) => [u, u.activity] as const));
    this.directConnect = dir.externals.filter((u) => u.kind === 'directConnect');
    this.technicians = dir.externals.filter((u) => u.kind === 'serviceProvider' || u.kind === 'microsoftSupport');
  }

  member(rng: Random, utcMs: number): DemoUser {
    const h = ((Math.floor(utcMs / 3_600_000) % 168) + 168) % 168;
    const office = (this.byHourOfWeek[h] as Weighted<Office>).pick(rng);
    const people = this.byOffice.get(office) ?? (this.byOffice.values().next().value as Weighted<DemoUser>);
    return people.pick(rng);
  }
}

/**
 * Yields `signIns` sign-ins of the demo tenant over `days` days ending at `end`, in ascending
 * `createdDateTime`. Deterministic: the same options always give the same records (and the same
 * JSON). Records share immutable sub-objects (locations, device details, policy entries): do not
 * mutate what you get.
 */
export function* generateSignIns(options: DemoOptions): Generator<SignInRecord, void, undefined> {
  checkOptions(options);
  const total = options.signIns;
  if (total === 0) return;
  const rng = new Random(options.seed);
  const tenant = demoTenant(options.policies ?? BASE_POLICY_COUNT);
  const dir = tenant.directory;
  const endMs = options.end.getTime();
  const windowTicks = Math.max(1, Math.round(options.days * TICKS_PER_DAY));
  const startMs = endMs - windowTicks / TICKS_PER_MS;
  const startNs = BigInt(endMs) * 1_000_000n - BigInt(windowTicks) * 100n;
  const pending = new Pending();
  const people = new PeoplePicker(dir);

  let scheduled = 0;
  let eventRecords = 0;
  let lastT = -1;
  let lastText = '';
  const scene: Scene = {
    rng,
    seed: options.seed,
    dir,
    userPolicies: tenant.userPolicies,
    workloadPolicies: tenant.workloadPolicies,
    windowTicks,
    startMs,
    time(t: number): string {
      if (t !== lastT) {
        lastT = t;
        lastText = formatDateTime(startNs + BigInt(t) * 100n);
      }
      return lastText;
    },
    push(t: number, record: SignInRecord): void {
      if (scheduled >= total) throw new Error('demo: an event scheduled more sign-ins than its budget');
      scheduled++;
      eventRecords++;
      pending.push(t < windowTicks ? t : windowTicks - 1, record);
    },
    get budget(): number {
      return total - scheduled;
    },
  };

  // The spray: a few minutes in the small hours of a day about 60% into the window.
  const sprayCount = Math.min(400, Math.floor(total * 0.003));
  const sprayDay = Math.floor((windowTicks / TICKS_PER_DAY) * 0.62);
  let sprayAt = sprayCount >= 12 ? Math.min(windowTicks * 0.9, sprayDay * TICKS_PER_DAY + 2.6 * TICKS_PER_HOUR + rng.float() * TICKS_PER_HOUR) : Infinity;

  const produced: Record<EventType, number> = { nonInteractiveUser: 0, interactiveUser: 0, servicePrincipal: 0, managedIdentity: 0 };
  const events: Record<EventType, number> = { nonInteractiveUser: 0, interactiveUser: 0, servicePrincipal: 0, managedIdentity: 0 };
  const weights = new Float64Array(EVENT_TYPES.length);
  let debt = 0;

  const weightAt = (ms: number): number => {
    let w = 0.05;
    for (const o of OFFICES) w += o.share * localActivity(ms, o.place.utcOffset);
    return w;
  };

  for (const t of slotTimes(total, windowTicks, startMs, weightAt, rng)) {
    while (pending.size > 0 && pending.peekTime() <= t) yield pending.pop();
    if (scheduled >= total) continue;
    // Slots taken by earlier multi-record events are given back here, spread out.
    if (debt > 0 && rng.float() < Math.min(0.75, debt / 8)) {
      debt--;
      continue;
    }
    eventRecords = 0;
    let type: EventType;
    if (t >= sprayAt) {
      sprayAt = Infinity;
      passwordSpray(scene, t, sprayCount);
      type = 'interactiveUser';
    } else {
      type = pickType(rng, produced, events, scheduled, weights);
      runEvent(scene, type, t, rng, people);
    }
    produced[type] += eventRecords;
    events[type]++;
    debt += eventRecords - 1;
  }
  while (pending.size > 0) yield pending.pop();
}

/**
 * Picks the next event's type, steering the shares of line items towards their targets: each
 * type's target is divided by its line items per event so far (flows make several), and nudged
 * by how far its share is off.
 */
function pickType(rng: Random, produced: Record<EventType, number>, events: Record<EventType, number>, scheduled: number, weights: Float64Array): EventType {
  let sum = 0;
  for (let i = 0; i < EVENT_TYPES.length; i++) {
    const type = EVENT_TYPES[i] as EventType;
    const target = EVENT_TYPE_SHARES[type];
    const share = scheduled < 200 ? target : produced[type] / scheduled;
    const perEvent = (produced[type] + 1) / (events[type] + 1);
    const w = Math.max(0.002, (target + 4 * (target - share)) / perEvent);
    weights[i] = w;
    sum += w;
  }
  let x = rng.float() * sum;
  for (let i = 0; i < EVENT_TYPES.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return EVENT_TYPES[i] as EventType;
  }
  return 'nonInteractiveUser';
}

function runEvent(scene: Scene, type: EventType, t: number, rng: Random, people: PeoplePicker): void {
  const ms = scene.startMs + t / TICKS_PER_MS;
  switch (type) {
    case 'interactiveUser': {
      const x = rng.float();
      let kind: InteractivePrincipal = 'member';
      let user: DemoUser | null = null;
      if (x < 0.015) kind = 'legacy';
      else if (x < 0.08) kind = 'guest';
      else if (x < 0.092) kind = 'technician';
      else if (x < 0.094) kind = 'uninvited';
      else if (x < 0.0943) kind = 'breakGlass';
      if (kind === 'member') user = people.member(rng, ms);
      else if (kind === 'guest') user = people.guests.pick(rng);
      else if (kind === 'technician') user = rng.pick(people.technicians);
      interactiveEvent(scene, t, kind, user);
      return;
    }
    case 'nonInteractiveUser': {
      const x = rng.float();
      let kind: NonInteractivePrincipal = 'member';
      let user: DemoUser;
      if (x < 0.045) {
        kind = 'guest';
        user = people.guests.pick(rng);
      } else if (x < 0.057) {
        kind = 'directConnect';
        user = rng.pick(people.directConnect);
      } else if (x < 0.071) {
        kind = 'passthrough';
        user = people.member(rng, ms);
      } else if (x < 0.075) {
        kind = 'technician';
        user = rng.pick(people.technicians);
      } else {
        user = people.member(rng, ms);
      }
      nonInteractiveEvent(scene, t, kind, user);
      return;
    }
    case 'servicePrincipal':
      servicePrincipalEvent(scene, t);
      return;
    case 'managedIdentity':
      managedIdentityEvent(scene, t);
      return;
  }
}
