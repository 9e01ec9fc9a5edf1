// Overview: sign-ins and failures over time, the top error codes with what they mean (the
// diagnose catalogue), the top applications, the top locations (for a world plot) and risky
// sign-ins. Every event type counts.
import { lookupErrorCode } from '../diagnose/error-codes.js';
import { INTERACTIVE_ONLY } from '../query/plan.js';
import type { AggregateQuery } from '../query/sql/aggregate.js';
import { and, col, eq, FAILED, not, num, oneOf, or, present, selection, type Report, type ReportInput, type ReportReader } from './report.js';

const TOP = 10;
const RISK_LEVELS = ['low', 'medium', 'high'] as const;
const RISK = col('riskLevelDuringSignIn');

export async function overviewReport(reader: ReportReader, input: ReportInput): Promise<Report> {
  const where = selection(input);
  const byDay: AggregateQuery = {
    where,
    groupBy: [{ name: 'day', key: { kind: 'timeBucket', hours: 24 } }],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'failures', measure: { kind: 'countIf', condition: FAILED } },
      { name: 'interactive', measure: { kind: 'countIf', condition: INTERACTIVE_ONLY } },
    ],
    orderBy: [{ name: 'day' }],
  };
  const errors: AggregateQuery = {
    where: and(where, FAILED),
    groupBy: [{ name: 'errorCode', key: { kind: 'operand', operand: col('status/errorCode', 'int') } }],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'users', measure: { kind: 'uniq', operand: col('userId') } },
      { name: 'lastSeen', measure: { kind: 'max', operand: col('createdDateTime', 'datetime') } },
      { name: 'failureReason', measure: { kind: 'max', operand: col('status/failureReason') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  };
  const apps: AggregateQuery = {
    where,
    groupBy: [{ name: 'appId', key: { kind: 'operand', operand: col('appId') } }],
    measures: [
      { name: 'application', measure: { kind: 'max', operand: col('appDisplayName') } },
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'failures', measure: { kind: 'countIf', condition: FAILED } },
      { name: 'users', measure: { kind: 'uniq', operand: col('userId') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  };
  const locations: AggregateQuery = {
    where: and(where, or(present(col('location/city')), present(col('location/countryOrRegion')))),
    groupBy: [
      { name: 'countryOrRegion', key: { kind: 'operand', operand: col('location/countryOrRegion') } },
      { name: 'city', key: { kind: 'operand', operand: col('location/city') } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'failures', measure: { kind: 'countIf', condition: FAILED } },
      { name: 'latitude', measure: { kind: 'min', operand: col('location/geoCoordinates/latitude', 'double') } },
      { name: 'longitude', measure: { kind: 'min', operand: col('location/geoCoordinates/longitude', 'double') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: 50,
  };
  const risky = and(where, oneOf(RISK, RISK_LEVELS));
  const risk: AggregateQuery = {
    where: risky,
    groupBy: [
      { name: 'riskLevel', key: { kind: 'operand', operand: RISK } },
      { name: 'riskState', key: { kind: 'operand', operand: col('riskState') } },
    ],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'failures', measure: { kind: 'countIf', condition: FAILED } },
      { name: 'users', measure: { kind: 'uniq', operand: col('userId') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
  };
  const riskyUsers: AggregateQuery = {
    where: risky,
    groupBy: [{ name: 'user', key: { kind: 'operand', operand: col('userPrincipalName') } }],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'high', measure: { kind: 'countIf', condition: eq(RISK, 'high') } },
      { name: 'atRisk', measure: { kind: 'countIf', condition: and(present(col('riskState')), not(oneOf(col('riskState'), ['none', 'remediated', 'dismissed', 'confirmedSafe']))) } },
      { name: 'lastSeen', measure: { kind: 'max', operand: col('createdDateTime', 'datetime') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  };
  const [days, errorRows, appRows, locationRows, riskRows, userRows] = await Promise.all([
    reader.aggregate(byDay),
    reader.aggregate(errors),
    reader.aggregate(apps),
    reader.aggregate(locations),
    reader.aggregate(risk),
    reader.aggregate(riskyUsers),
  ]);
  return {
    name: 'overview',
    title: 'Overview',
    definition: 'Sign-ins of every event type (interactive, non-interactive, service principal, managed identity) in the time range and filter.',
    since: input.since ?? null,
    until: input.until ?? null,
    signIns: days.reduce((n, r) => n + num(r, 'signIns'), 0),
    sections: [
      {
        id: 'over-time',
        title: 'Sign-ins and failures, per day',
        definition: 'Per day (UTC): sign-ins, failures (status/errorCode other than 0), and interactive user sign-ins among them.',
        chart: { kind: 'timeBars', x: 'day', measures: ['succeeded', 'failures'] },
        columns: [
          { name: 'day', label: 'Day (UTC)', format: 'time' },
          { name: 'signIns', label: 'Sign-ins', definition: 'every event type' },
          { name: 'succeeded', label: 'Succeeded', definition: 'error code 0 (or none recorded)' },
          { name: 'failures', label: 'Failures', definition: 'error code other than 0' },
          { name: 'interactive', label: 'Interactive', definition: 'interactive user sign-ins' },
        ],
        rows: days.map((r) => ({ ...r, succeeded: num(r, 'signIns') - num(r, 'failures') })),
      },
      {
        id: 'error-codes',
        title: `Top error codes (top ${TOP})`,
        definition: 'Failed sign-ins by status/errorCode, with the meaning from Gatelog\'s catalogue of Entra error codes (docs/diagnose.md); users = distinct userId.',
        chart: { kind: 'bars', label: 'errorCode', measures: ['signIns'] },
        columns: [
          { name: 'errorCode', label: 'Error code', format: 'text' },
          { name: 'name', label: 'Name', format: 'text' },
          { name: 'meaning', label: 'Meaning', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'users', label: 'Users', definition: 'distinct userId' },
          { name: 'lastSeen', label: 'Last seen', format: 'time' },
        ],
        rows: errorRows.map((r) => {
          const info = typeof r['errorCode'] === 'number' ? lookupErrorCode(r['errorCode']) : undefined;
          return { ...r, name: info?.name ?? null, meaning: info?.meaning ?? (typeof r['failureReason'] === 'string' ? r['failureReason'] : null) };
        }),
      },
      {
        id: 'applications',
        title: `Top applications (top ${TOP})`,
        definition: 'Sign-ins by appId (with a display name seen); failures = error code other than 0; users = distinct userId.',
        chart: { kind: 'bars', label: 'application', measures: ['succeeded', 'failures'] },
        columns: [
          { name: 'application', label: 'Application', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'failures', label: 'Failures', definition: 'error code other than 0' },
          { name: 'users', label: 'Users', definition: 'distinct userId' },
          { name: 'appId', label: 'App ID', format: 'text' },
        ],
        rows: appRows.map((r) => ({ ...r, succeeded: num(r, 'signIns') - num(r, 'failures') })),
      },
      {
        id: 'locations',
        title: 'Top locations (top 50)',
        definition: 'Sign-ins with a location, by country or region and city; the point is the city\'s coordinates as recorded (the smallest latitude and longitude seen for it).',
        chart: { kind: 'map', label: 'city', lat: 'latitude', lon: 'longitude', size: 'signIns' },
        columns: [
          { name: 'city', label: 'City', format: 'text' },
          { name: 'countryOrRegion', label: 'Country or region', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'failures', label: 'Failures', definition: 'error code other than 0' },
          { name: 'latitude', label: 'Latitude' },
          { name: 'longitude', label: 'Longitude' },
        ],
        rows: locationRows,
      },
      {
        id: 'risk',
        title: 'Risky sign-ins',
        definition: 'Sign-ins whose riskLevelDuringSignIn is low, medium or high, by level and riskState; users = distinct userId.',
        chart: { kind: 'bars', label: 'riskLevel', measures: ['signIns'] },
        columns: [
          { name: 'riskLevel', label: 'Risk level', format: 'text' },
          { name: 'riskState', label: 'Risk state', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'failures', label: 'Failures', definition: 'error code other than 0' },
          { name: 'users', label: 'Users', definition: 'distinct userId' },
        ],
        rows: riskRows,
      },
      {
        id: 'risky-users',
        title: `Users with the most risky sign-ins (top ${TOP})`,
        definition: 'Risky sign-ins (as above) by userPrincipalName; high = riskLevelDuringSignIn high; at risk = a riskState other than none, remediated, dismissed or confirmedSafe.',
        chart: { kind: 'bars', label: 'user', measures: ['signIns'] },
        columns: [
          { name: 'user', label: 'User', format: 'text' },
          { name: 'signIns', label: 'Risky sign-ins' },
          { name: 'high', label: 'High' },
          { name: 'atRisk', label: 'At risk' },
          { name: 'lastSeen', label: 'Last seen', format: 'time' },
        ],
        rows: userRows,
      },
    ],
  };
}
