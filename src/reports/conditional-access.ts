// Conditional Access: the outcome of every policy, enabled or report-only, over time, and for a
// report-only policy what it would have done if enabled (the sign-ins it would have blocked or
// challenged, by user and application). Definitions follow Microsoft's "Conditional Access
// insights and reporting" workbook (semantics.md §3.2, §3.5): success / failure / user action
// required / not applied, mapped from each policy's result.
import { INTERACTIVE_ONLY, reportOnlyWouldAct } from '../query/plan.js';
import type { AggregateQuery, AggregateRow, GroupKey } from '../query/sql/aggregate.js';
import type { Condition } from '../query/sql/expr.js';
import { and, col, eq, field, num, present, selection, type Report, type ReportInput, type ReportReader, type ReportSection } from './report.js';

const P = 'p';
const result = field(P, 'result');
const policyId = field(P, 'id');

/** Per-policy results in each of the workbook's four outcomes. */
export const OUTCOMES = {
  success: ['success', 'reportOnlySuccess'],
  failure: ['failure', 'reportOnlyFailure'],
  userActionRequired: ['reportOnlyInterrupted', 'interrupt'],
} as const;

const DAY: GroupKey = { kind: 'timeBucket', hours: 24 };
const STATUS = col('conditionalAccessStatus');

/** How many report-only policies get an "if enabled" breakdown when none is named. */
const IF_ENABLED_POLICIES = 10;
const TOP = 20;

function policyUnnest(where?: Condition): AggregateQuery['unnest'] {
  return { collection: col('appliedConditionalAccessPolicies'), variable: P, where: where ? and(present(policyId), where) : present(policyId) };
}

export async function conditionalAccessReport(reader: ReportReader, input: ReportInput): Promise<Report> {
  const where = selection(input, INTERACTIVE_ONLY);
  const overall: AggregateQuery = {
    where,
    groupBy: [{ name: 'day', key: DAY }],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'success', measure: { kind: 'countIf', condition: eq(STATUS, 'success') } },
      { name: 'failure', measure: { kind: 'countIf', condition: eq(STATUS, 'failure') } },
    ],
    orderBy: [{ name: 'day' }],
  };
  // Per day, policy and result: the per-policy totals and the series are sums of these groups.
  const perPolicyDay: AggregateQuery = {
    where,
    unnest: policyUnnest(),
    groupBy: [
      { name: 'day', key: DAY },
      { name: 'policyId', key: { kind: 'operand', operand: policyId } },
      { name: 'result', key: { kind: 'operand', operand: result } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'policy', measure: { kind: 'max', operand: field(P, 'displayName') } },
    ],
    orderBy: [{ name: 'day' }],
  };
  const wanted = input.options?.['policy'];
  const [all, daily, users, apps] = await Promise.all([
    reader.aggregate(overall),
    reader.aggregate(perPolicyDay),
    reader.aggregate(whatIfEnabled(where, 'user', 'userPrincipalName', wanted)),
    reader.aggregate(whatIfEnabled(where, 'application', 'appDisplayName', wanted)),
  ]);
  const byPolicy = new Map<string, { policyId: string; policy: string | null; evaluated: number; success: number; failure: number; userActionRequired: number; notApplied: number; reportOnlyResults: number; notEnabled: number }>();
  const series = new Map<string, { day: AggregateRow['day']; policyId: string; outcome: Outcome; signIns: number }>();
  for (const r of daily) {
    const id = String(r['policyId']);
    const res = typeof r['result'] === 'string' ? r['result'] : '';
    const n = num(r, 'signIns');
    const outcome = outcomeOf(res);
    let p = byPolicy.get(id);
    if (!p) byPolicy.set(id, (p = { policyId: id, policy: null, evaluated: 0, success: 0, failure: 0, userActionRequired: 0, notApplied: 0, reportOnlyResults: 0, notEnabled: 0 }));
    if (typeof r['policy'] === 'string' && (p.policy === null || r['policy'] > p.policy)) p.policy = r['policy'];
    p.evaluated += n;
    p[outcome] += n;
    if (res.toLowerCase().startsWith('reportonly')) p.reportOnlyResults += n;
    if (res === 'notEnabled') p.notEnabled += n;
    const key = `${String(r['day'])}\u0000${id}\u0000${outcome}`;
    const s = series.get(key);
    if (s) s.signIns += n;
    else series.set(key, { day: r['day'] ?? null, policyId: id, outcome, signIns: n });
  }
  const policyRows: AggregateRow[] = [...byPolicy.values()]
    .sort((a, b) => b.evaluated - a.evaluated || (a.policyId < b.policyId ? -1 : 1))
    .map((p) => ({ ...p, mode: p.reportOnlyResults > 0 ? 'report-only' : p.notEnabled === p.evaluated ? 'disabled' : 'enabled' }));
  const names = new Map(policyRows.map((r) => [r['policyId'], r['policy']]));
  const reportOnly = wanted ? policyRows.filter((r) => r['policyId'] === wanted) : policyRows.filter((r) => r['mode'] === 'report-only').slice(0, IF_ENABLED_POLICIES);
  const ifEnabled = reportOnly.map((r) => ({ users: users.filter((u) => u['policyId'] === r['policyId']), apps: apps.filter((u) => u['policyId'] === r['policyId']) }));
  const signIns = all.reduce((n, r) => n + num(r, 'signIns'), 0);
  const sections: ReportSection[] = [
    {
      id: 'overall',
      title: 'All enabled policies, per day',
      definition:
        'Per day (UTC), interactive sign-ins by their conditionalAccessStatus, as the workbook\'s "all enabled policies" view: success (a policy applied and its controls were satisfied), failure (a policy applied and its controls were not satisfied or it blocks), not applied (no policy applied: notApplied, or not recorded).',
      chart: { kind: 'timeBars', x: 'day', measures: ['success', 'failure', 'notApplied'] },
      columns: [
        { name: 'day', label: 'Day (UTC)', format: 'time' },
        { name: 'success', label: 'Success', definition: 'conditionalAccessStatus = success' },
        { name: 'failure', label: 'Failure', definition: 'conditionalAccessStatus = failure' },
        { name: 'notApplied', label: 'Not applied', definition: 'any other status (notApplied, none recorded)' },
        { name: 'signIns', label: 'Sign-ins', definition: 'interactive sign-ins' },
      ],
      rows: all.map((r) => ({ ...r, notApplied: num(r, 'signIns') - num(r, 'success') - num(r, 'failure') })),
    },
    {
      id: 'policies',
      title: 'Per policy',
      definition:
        'Every policy in the sign-ins\' appliedConditionalAccessPolicies, counted once per sign-in it was evaluated for. Success: result success or reportOnlySuccess. Failure: failure or reportOnlyFailure. User action required: reportOnlyInterrupted (a report-only policy would have prompted, e.g. for MFA). Not applied: any other result (notApplied, reportOnlyNotApplied, notEnabled). A policy is report-only when its results are report-only results, disabled when every result is notEnabled.',
      chart: { kind: 'bars', label: 'policy', measures: ['success', 'failure', 'userActionRequired', 'notApplied'] },
      columns: [
        { name: 'policy', label: 'Policy', format: 'text' },
        { name: 'mode', label: 'State', format: 'text' },
        { name: 'evaluated', label: 'Evaluated', definition: 'sign-ins listing the policy' },
        { name: 'success', label: 'Success', definition: 'success or reportOnlySuccess' },
        { name: 'failure', label: 'Failure', definition: 'failure or reportOnlyFailure' },
        { name: 'userActionRequired', label: 'User action required', definition: 'reportOnlyInterrupted' },
        { name: 'notApplied', label: 'Not applied', definition: 'notApplied, reportOnlyNotApplied, notEnabled, other' },
        { name: 'policyId', label: 'Policy ID', format: 'text' },
      ],
      rows: policyRows,
    },
    {
      id: 'policies-over-time',
      title: 'Per policy, per day',
      definition: 'Per day (UTC) and policy, the sign-ins in each outcome (as in "Per policy").',
      chart: { kind: 'timeBars', x: 'day', series: 'outcome', y: 'signIns', pick: 'policy' },
      columns: [
        { name: 'day', label: 'Day (UTC)', format: 'time' },
        { name: 'policy', label: 'Policy', format: 'text' },
        { name: 'outcome', label: 'Outcome', format: 'text' },
        { name: 'signIns', label: 'Sign-ins' },
        { name: 'policyId', label: 'Policy ID', format: 'text' },
      ],
      rows: [...series.values()].map((r) => ({ ...r, policy: names.get(r.policyId) ?? null })),
    },
  ];
  for (const [i, r] of reportOnly.entries()) {
    const got = ifEnabled[i]!;
    const name = String(r['policy'] ?? r['policyId']);
    const def = `Sign-ins for which the report-only policy "${name}" returned reportOnlyFailure (if enabled it would have blocked them, or they would have failed its grant controls) or reportOnlyInterrupted (it would have required user action, such as MFA).`;
    const cols = (label: string, key: string) => [
      { name: key, label, format: 'text' as const },
      { name: 'wouldBlock', label: 'Would block', definition: 'reportOnlyFailure' },
      { name: 'wouldChallenge', label: 'Would challenge', definition: 'reportOnlyInterrupted' },
      { name: 'signIns', label: 'Sign-ins', definition: 'would block + would challenge' },
    ];
    sections.push(
      {
        id: `if-enabled-users-${String(r['policyId'])}`,
        title: `If "${name}" were enabled: by user (top ${TOP})`,
        definition: def,
        chart: { kind: 'bars', label: 'user', measures: ['wouldBlock', 'wouldChallenge'] },
        columns: cols('User', 'user'),
        rows: got.users,
      },
      {
        id: `if-enabled-apps-${String(r['policyId'])}`,
        title: `If "${name}" were enabled: by application (top ${TOP})`,
        definition: def,
        chart: { kind: 'bars', label: 'application', measures: ['wouldBlock', 'wouldChallenge'] },
        columns: cols('Application', 'application'),
        rows: got.apps,
      },
    );
  }
  return {
    name: 'conditional-access',
    title: 'Conditional Access and report-only impact',
    definition: 'Interactive user sign-ins (signInEventTypes holds interactiveUser) in the time range and filter.',
    since: input.since ?? null,
    until: input.until ?? null,
    signIns,
    sections,
  };
}

/** Report-only failures and interruptions by `name` (top 20 per policy), for the "if enabled" sections. */
function whatIfEnabled(where: Condition, name: string, path: string, policy: string | undefined): AggregateQuery {
  const wouldAct = reportOnlyWouldAct(P);
  return {
    where,
    unnest: policyUnnest(policy ? and(eq(policyId, policy), wouldAct) : wouldAct),
    groupBy: [
      { name: 'policyId', key: { kind: 'operand', operand: policyId } },
      { name, key: { kind: 'operand', operand: col(path) } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'wouldBlock', measure: { kind: 'countIf', condition: eq(result, 'reportOnlyFailure') } },
      { name: 'wouldChallenge', measure: { kind: 'countIf', condition: eq(result, 'reportOnlyInterrupted') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limitPerGroup: { keys: ['policyId'], limit: TOP },
  };
}

type Outcome = 'success' | 'failure' | 'userActionRequired' | 'notApplied';

/** The workbook's outcome of a per-policy result. */
export function outcomeOf(res: string): Outcome {
  if ((OUTCOMES.success as readonly string[]).includes(res)) return 'success';
  if ((OUTCOMES.failure as readonly string[]).includes(res)) return 'failure';
  if ((OUTCOMES.userActionRequired as readonly string[]).includes(res)) return 'userActionRequired';
  return 'notApplied';
}
