// Authentication methods: how interactive sign-ins were protected (single- vs multifactor per day),
// how each method is used and how often it succeeds, passwordless adoption, and how often a claim
// in the token satisfied the requirement. Definitions follow semantics.md §5: Microsoft's
// "Authentication methods activity" page and its Log Analytics workbook, which de-duplicates
// sign-ins by correlation ID before counting and folds password-source variants into Password.
import { INTERACTIVE_ONLY } from '../query/plan.js';
import type { AggregateQuery, AggregateRow, GroupKey } from '../query/sql/aggregate.js';
import { and, anyOf, col, contains, eq, field, not, num, oneOf, present, rate, selection, SUCCEEDED, type Report, type ReportInput, type ReportReader } from './report.js';

/** Method names folded into one, as the workbook does (password sources) or as spellings differ between eras. */
export const METHOD_FOLDS: Readonly<Record<string, readonly string[]>> = {
  Password: ['PHS', 'PHS, StagedRollout', 'CloudOnlyPassword', 'PTA'],
  'Windows Hello for Business': ['WindowsHelloForBusiness'],
  'FIDO2 security key': ['fido', 'Fido', 'FIDO'],
  'Temporary Access Pass': ['TemporaryAccessPass'],
};

/** Passwordless methods (after folding): what Microsoft counts as passwordless sign-in. */
export const PASSWORDLESS_METHODS: readonly string[] = [
  'Passwordless phone sign-in',
  'FIDO2 security key',
  'Windows Hello for Business',
  'X.509 Certificate',
  'Passkey (device-bound)',
  'Passkey (Microsoft Authenticator)',
];

/** The method that means "a claim in the token satisfied this step". */
export const PREVIOUSLY_SATISFIED = 'Previously satisfied';

const STEP = 'd';
const method = field(STEP, 'authenticationMethod');

/** Every spelling of the passwordless methods, as they may be stored. */
function passwordlessSpellings(): string[] {
  return PASSWORDLESS_METHODS.flatMap((m) => [m, ...(METHOD_FOLDS[m] ?? [])]);
}

/** The folded method of the unnested step. */
const FOLDED_METHOD: GroupKey = {
  kind: 'case',
  whens: Object.entries(METHOD_FOLDS).map(([to, from]) => ({ when: oneOf(method, from), then: to })),
  otherwise: method,
};

const DAY: GroupKey = { kind: 'timeBucket', hours: 24 };

const CLAIM_STEP = anyOf(col('authenticationDetails'), 's', eq(field('s', 'authenticationMethod'), PREVIOUSLY_SATISFIED));
const CLAIM_DETAIL = anyOf(col('authenticationDetails'), 's', contains(field('s', 'authenticationStepResultDetail'), 'satisfied by claim in the token'));
const MFA_BY_CLAIM = anyOf(col('authenticationDetails'), 's', contains(field('s', 'authenticationStepResultDetail'), 'MFA requirement satisfied by claim in the token'));
const PASSWORDLESS_STEP = anyOf(col('authenticationDetails'), 's', and(oneOf(field('s', 'authenticationMethod'), passwordlessSpellings()), eq(field('s', 'succeeded', 'boolean'), true)));

export async function authMethodsReport(reader: ReportReader, input: ReportInput): Promise<Report> {
  const where = selection(input, INTERACTIVE_ONLY);
  // One pass for every per-sign-in number (by day and requirement; days and totals are sums of
  // these groups), one for the steps.
  const perSignIn: AggregateQuery = {
    where,
    dedupeByCorrelation: true,
    groupBy: [
      { name: 'day', key: DAY },
      { name: 'requirement', key: { kind: 'operand', operand: col('authenticationRequirement') } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'successful', measure: { kind: 'countIf', condition: SUCCEEDED } },
      { name: 'passwordless', measure: { kind: 'countIf', condition: PASSWORDLESS_STEP } },
      { name: 'satisfiedByClaim', measure: { kind: 'countIf', condition: { kind: 'or', items: [CLAIM_STEP, CLAIM_DETAIL] } } },
      { name: 'mfaSatisfiedByClaim', measure: { kind: 'countIf', condition: MFA_BY_CLAIM } },
    ],
    orderBy: [{ name: 'day' }],
  };
  const byMethod: AggregateQuery = {
    where,
    dedupeByCorrelation: true,
    unnest: {
      collection: col('authenticationDetails'),
      variable: STEP,
      where: and(present(method), not(eq(method, '')), not(eq(method, PREVIOUSLY_SATISFIED))),
    },
    groupBy: [{ name: 'method', key: FOLDED_METHOD }],
    measures: [
      { name: 'uses', measure: { kind: 'count' } },
      { name: 'succeeded', measure: { kind: 'countIf', condition: eq(field(STEP, 'succeeded', 'boolean'), true) } },
      { name: 'failed', measure: { kind: 'countIf', condition: eq(field(STEP, 'succeeded', 'boolean'), false) } },
    ],
    orderBy: [{ name: 'uses', desc: true }],
  };
  const [req, methods] = await Promise.all([reader.aggregate(perSignIn), reader.aggregate(byMethod)]);
  const sum = (rows: readonly AggregateRow[], name: string): number => rows.reduce((n, r) => n + num(r, name), 0);
  const days = [...new Set(req.map((r) => String(r['day'])))];
  const pwl = days.map((day) => {
    const of = req.filter((r) => r['day'] === day);
    return { day, signIns: sum(of, 'signIns'), passwordless: sum(of, 'passwordless') };
  });
  const multifactor = req.filter((r) => r['requirement'] === 'multiFactorAuthentication');
  const claim = [
    {
      signIns: sum(req, 'signIns'),
      satisfiedByClaim: sum(req, 'satisfiedByClaim'),
      multifactor: sum(multifactor, 'signIns'),
      mfaSatisfiedByClaim: sum(req, 'mfaSatisfiedByClaim'),
      passwordless: sum(req, 'passwordless'),
    },
  ];
  const totals = claim[0];
  const signIns = num(totals, 'signIns');
  const passwordlessSet = new Set(PASSWORDLESS_METHODS);
  return {
    name: 'auth-methods',
    title: 'Authentication methods',
    definition:
      'Interactive user sign-ins (signInEventTypes holds interactiveUser) in the time range and filter, de-duplicated by correlation ID: of the line items that share a correlation ID in one log, only the newest counts (Microsoft\'s workbook: arg_max(TimeGenerated, *) by CorrelationId).',
    since: input.since ?? null,
    until: input.until ?? null,
    signIns,
    sections: [
      {
        id: 'requirement',
        title: 'Sign-ins by authentication requirement',
        definition:
          'Per day (UTC), de-duplicated interactive sign-ins by authenticationRequirement: singleFactorAuthentication or multiFactorAuthentication (what the resource required, so a requirement met by an earlier MFA claim shows as single factor). "Successful" are those with error code 0 — the number Microsoft\'s Authentication methods activity page shows.',
        chart: { kind: 'timeBars', x: 'day', series: 'requirement', y: 'signIns' },
        columns: [
          { name: 'day', label: 'Day (UTC)', format: 'time' },
          { name: 'requirement', label: 'Requirement', format: 'text' },
          { name: 'signIns', label: 'Sign-ins', definition: 'de-duplicated interactive sign-ins' },
          { name: 'successful', label: 'Successful', definition: 'of them, error code 0' },
        ],
        rows: req.map((r) => ({ day: r['day'] ?? null, requirement: r['requirement'] ?? '(not recorded)', signIns: num(r, 'signIns'), successful: num(r, 'successful') })),
      },
      {
        id: 'methods',
        title: 'Usage and success rate by authentication method',
        definition:
          'Every authentication step (authenticationDetails item) of the de-duplicated interactive sign-ins with a method, except "Previously satisfied" (a claim in the token, counted below). Password-source variants (PHS, "PHS, StagedRollout", CloudOnlyPassword, PTA) are folded into Password and older spellings into today\'s names. Success rate = succeeded ÷ (succeeded + failed) steps.',
        chart: { kind: 'bars', label: 'method', measures: ['succeeded', 'failed'] },
        columns: [
          { name: 'method', label: 'Method', format: 'text' },
          { name: 'uses', label: 'Uses', definition: 'authentication steps with this method' },
          { name: 'succeeded', label: 'Succeeded', definition: 'steps with succeeded = true' },
          { name: 'failed', label: 'Failed', definition: 'steps with succeeded = false' },
          { name: 'successRate', label: 'Success rate', format: 'percent', definition: 'succeeded ÷ (succeeded + failed)' },
          { name: 'passwordless', label: 'Passwordless', format: 'text', definition: `one of: ${PASSWORDLESS_METHODS.join(', ')}` },
        ],
        rows: methods.map((r) => ({
          ...r,
          successRate: rate(num(r, 'succeeded'), num(r, 'succeeded') + num(r, 'failed')),
          passwordless: passwordlessSet.has(String(r['method'])) ? 'yes' : 'no',
        })),
      },
      {
        id: 'passwordless',
        title: 'Passwordless sign-ins',
        definition: `Per day (UTC), de-duplicated interactive sign-ins with a successful step by a passwordless method (${PASSWORDLESS_METHODS.join(', ')}), beside all of them.`,
        chart: { kind: 'timeBars', x: 'day', measures: ['passwordless', 'others'] },
        columns: [
          { name: 'day', label: 'Day (UTC)', format: 'time' },
          { name: 'passwordless', label: 'Passwordless', definition: 'sign-ins with a successful passwordless step' },
          { name: 'others', label: 'Other sign-ins', definition: 'the rest of the de-duplicated interactive sign-ins' },
          { name: 'signIns', label: 'Sign-ins', definition: 'de-duplicated interactive sign-ins' },
          { name: 'share', label: 'Share', format: 'percent', definition: 'passwordless ÷ sign-ins' },
        ],
        rows: pwl.map((r) => ({ ...r, others: num(r, 'signIns') - num(r, 'passwordless'), share: rate(num(r, 'passwordless'), num(r, 'signIns')) })),
      },
      {
        id: 'claims',
        title: 'Requirements satisfied by claims in the token',
        definition:
          'De-duplicated interactive sign-ins with a step whose method is "Previously satisfied" or whose result detail says "satisfied by claim in the token" (first factor or MFA); and of the multifactor ones, those whose MFA requirement was satisfied by a claim ("MFA requirement satisfied by claim in the token").',
        chart: { kind: 'figures', measures: ['signIns', 'satisfiedByClaim', 'claimShare', 'multifactor', 'mfaSatisfiedByClaim', 'passwordless'] },
        columns: [
          { name: 'signIns', label: 'Sign-ins', definition: 'de-duplicated interactive sign-ins' },
          { name: 'satisfiedByClaim', label: 'Satisfied by a claim', definition: 'a step "Previously satisfied" or "… satisfied by claim in the token"' },
          { name: 'claimShare', label: 'Share satisfied by a claim', format: 'percent', definition: 'satisfied by a claim ÷ sign-ins' },
          { name: 'multifactor', label: 'Multifactor required', definition: 'authenticationRequirement = multiFactorAuthentication' },
          { name: 'mfaSatisfiedByClaim', label: 'MFA satisfied by a claim', definition: 'a step "MFA requirement satisfied by claim in the token"' },
          { name: 'passwordless', label: 'Passwordless', definition: 'a successful passwordless step' },
        ],
        rows: totals ? [{ ...totals, claimShare: rate(num(totals, 'satisfiedByClaim'), signIns) }] : [],
      },
    ],
  };
}
