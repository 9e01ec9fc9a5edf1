// Cross-tenant access: sign-ins whose home tenant differs from the resource tenant (semantics.md
// §6.7: "select all entries where the home tenant doesn't match the resource tenant"), by
// crossTenantAccessType (every member of the enum, zeros included), by direction — inbound (users
// of other tenants into the log's tenant: guests, B2B direct connect, service providers, support)
// and outbound (the log tenant's users signing in to other tenants) — by tenant, user and application.
import { ENUMS } from '../model/schema.js';
import { CROSS_TENANT } from '../query/plan.js';
import type { AggregateQuery, GroupKey } from '../query/sql/aggregate.js';
import { and, col, LOG_TENANT, not, num, present, same, selection, type Report, type ReportInput, type ReportReader } from './report.js';

const HOME = col('homeTenantId');
const RESOURCE = col('resourceTenantId');

export const INBOUND = same(RESOURCE, LOG_TENANT);
export const OUTBOUND = same(HOME, LOG_TENANT);

const DIRECTION: GroupKey = {
  kind: 'case',
  whens: [
    { when: INBOUND, then: 'inbound' },
    { when: OUTBOUND, then: 'outbound' },
  ],
  otherwise: 'neither',
};

const TOP = 20;
const NOT_RECORDED = '(not recorded)';

export async function crossTenantReport(reader: ReportReader, input: ReportInput): Promise<Report> {
  const where = selection(input, CROSS_TENANT);
  const counts = [
    { name: 'signIns', measure: { kind: 'count' } },
    { name: 'inbound', measure: { kind: 'countIf', condition: INBOUND } },
    { name: 'outbound', measure: { kind: 'countIf', condition: OUTBOUND } },
    { name: 'failures', measure: { kind: 'countIf', condition: and(present(col('status/errorCode', 'int')), not({ kind: 'compare', op: 'eq', left: col('status/errorCode', 'int'), right: { kind: 'value', value: 0, type: 'int' }, caseInsensitive: false })) } },
  ] as const satisfies AggregateQuery['measures'];
  const byType: AggregateQuery = { where, groupBy: [{ name: 'accessType', key: { kind: 'operand', operand: col('crossTenantAccessType') } }], measures: counts };
  const byDay: AggregateQuery = {
    where,
    groupBy: [
      { name: 'day', key: { kind: 'timeBucket', hours: 24 } },
      { name: 'direction', key: DIRECTION },
    ],
    measures: [{ name: 'signIns', measure: { kind: 'count' } }],
    orderBy: [{ name: 'day' }],
  };
  const tenants = (direction: 'inbound' | 'outbound'): AggregateQuery => ({
    where: and(where, direction === 'inbound' ? INBOUND : OUTBOUND),
    groupBy: [{ name: 'tenant', key: { kind: 'operand', operand: direction === 'inbound' ? HOME : RESOURCE } }],
    measures: [
      { name: 'signIns', measure: { kind: 'count' } },
      { name: 'users', measure: { kind: 'uniq', operand: col('userId') } },
      { name: 'tenantName', measure: { kind: 'max', operand: col(direction === 'inbound' ? 'homeTenantName' : 'resourceDisplayName') } },
    ],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  });
  const users: AggregateQuery = {
    where,
    groupBy: [
      { name: 'user', key: { kind: 'operand', operand: col('userPrincipalName') } },
      { name: 'homeTenantId', key: { kind: 'operand', operand: HOME } },
    ],
    measures: counts,
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  };
  const apps: AggregateQuery = {
    where,
    groupBy: [{ name: 'appId', key: { kind: 'operand', operand: col('appId') } }],
    measures: [{ name: 'application', measure: { kind: 'max', operand: col('appDisplayName') } }, ...counts],
    orderBy: [{ name: 'signIns', desc: true }],
    limit: TOP,
  };
  const [types, days, inbound, outbound, userRows, appRows] = await Promise.all([
    reader.aggregate(byType),
    reader.aggregate(byDay),
    reader.aggregate(tenants('inbound')),
    reader.aggregate(tenants('outbound')),
    reader.aggregate(users),
    reader.aggregate(apps),
  ]);
  // Every member of the enum, zeros included, then values outside it (and none recorded).
  const members = ENUMS.get('signInAccessType')?.members ?? [];
  const found = new Map(types.map((r) => [r['accessType'] ?? NOT_RECORDED, r]));
  const typeRows = [...members, ...[...found.keys()].filter((k) => typeof k === 'string' && !members.includes(k))].map((m) => {
    const r = found.get(m);
    return { accessType: m, signIns: num(r, 'signIns'), inbound: num(r, 'inbound'), outbound: num(r, 'outbound'), failures: num(r, 'failures') };
  });
  const countCols = [
    { name: 'signIns', label: 'Sign-ins', definition: 'cross-tenant sign-ins' },
    { name: 'inbound', label: 'Inbound', definition: 'resource tenant = the log\'s tenant (users from other tenants)' },
    { name: 'outbound', label: 'Outbound', definition: 'home tenant = the log\'s tenant (its users elsewhere)' },
    { name: 'failures', label: 'Failures', definition: 'error code other than 0' },
  ];
  return {
    name: 'cross-tenant',
    title: 'Cross-tenant access',
    definition:
      'Sign-ins of every event type in the time range and filter whose homeTenantId and resourceTenantId are both recorded and differ (compared without regard to case). Inbound: the resource tenant is the tenant whose log holds the sign-in; outbound: the home tenant is.',
    since: input.since ?? null,
    until: input.until ?? null,
    signIns: typeRows.reduce((n, r) => n + r.signIns, 0),
    sections: [
      {
        id: 'access-types',
        title: 'By cross-tenant access type',
        definition: `Cross-tenant sign-ins by crossTenantAccessType; every member of the enum is listed (${members.join(', ')}), with zero when none, then values outside it and "${NOT_RECORDED}".`,
        chart: { kind: 'bars', label: 'accessType', measures: ['inbound', 'outbound'] },
        columns: [{ name: 'accessType', label: 'Access type', format: 'text' }, ...countCols],
        rows: typeRows,
      },
      {
        id: 'direction',
        title: 'Inbound and outbound, per day',
        definition: 'Per day (UTC), cross-tenant sign-ins by direction (inbound, outbound, or neither when the log belongs to a third tenant).',
        chart: { kind: 'timeBars', x: 'day', series: 'direction', y: 'signIns' },
        columns: [
          { name: 'day', label: 'Day (UTC)', format: 'time' },
          { name: 'direction', label: 'Direction', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
        ],
        rows: days,
      },
      {
        id: 'inbound-tenants',
        title: `Inbound: home tenants (top ${TOP})`,
        definition: 'Inbound cross-tenant sign-ins by the users\' home tenant; users = distinct userId. The home tenant\'s name is only known when that tenant consented to share it.',
        chart: { kind: 'bars', label: 'tenant', measures: ['signIns'] },
        columns: [
          { name: 'tenant', label: 'Home tenant', format: 'text' },
          { name: 'tenantName', label: 'Name', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'users', label: 'Users', definition: 'distinct userId' },
        ],
        rows: inbound,
      },
      {
        id: 'outbound-tenants',
        title: `Outbound: resource tenants (top ${TOP})`,
        definition: 'Outbound cross-tenant sign-ins by the resource tenant; users = distinct userId; name = a resource display name seen.',
        chart: { kind: 'bars', label: 'tenant', measures: ['signIns'] },
        columns: [
          { name: 'tenant', label: 'Resource tenant', format: 'text' },
          { name: 'tenantName', label: 'Resource seen', format: 'text' },
          { name: 'signIns', label: 'Sign-ins' },
          { name: 'users', label: 'Users', definition: 'distinct userId' },
        ],
        rows: outbound,
      },
      {
        id: 'users',
        title: `By user (top ${TOP})`,
        definition: 'Cross-tenant sign-ins by userPrincipalName and home tenant.',
        chart: { kind: 'bars', label: 'user', measures: ['inbound', 'outbound'] },
        columns: [{ name: 'user', label: 'User', format: 'text' }, { name: 'homeTenantId', label: 'Home tenant', format: 'text' }, ...countCols],
        rows: userRows,
      },
      {
        id: 'applications',
        title: `By application (top ${TOP})`,
        definition: 'Cross-tenant sign-ins by appId (with a display name seen).',
        chart: { kind: 'bars', label: 'application', measures: ['inbound', 'outbound'] },
        columns: [{ name: 'application', label: 'Application', format: 'text' }, { name: 'appId', label: 'App ID', format: 'text' }, ...countCols],
        rows: appRows,
      },
    ],
  };
}
