// The ClickHouse layout: the migration's columns are the schema's, rows flatten as documented,
// and records read back are shaped the way the DuckDB store shapes them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../migrations.js';
import { encodeSignInRow, LEAF_COLUMNS, SIGN_IN_TABLE_COLUMNS, storedFromRow } from './layout.js';

const base = {
  tenantId: 't',
  id: 'x',
  createdNs: 1515532641507725300n,
  extra: null,
  eventKey: 18446744073709551615n,
  ingestedAt: '2026-01-01 00:00:00',
  version: 7n,
};

describe('ClickHouse layout', () => {
  it('has every schema leaf as a column in migration 0001 (a schema change needs a migration)', () => {
    const sql = readFileSync(new URL('./migrations/0001-initial.sql', import.meta.url), 'utf8');
    const create = splitStatements(sql).find((s) => s.includes('{local:sign_ins}'))!;
    const body = create.slice(create.indexOf('(') + 1, create.lastIndexOf(') ENGINE'));
    const cols = body
      .split(',\n')
      .map((l) => l.trim())
      .map((l) => {
        const m = /^(`[^`]+`|\w+) (.+)$/.exec(l)!;
        return [m[1]!.replace(/`/g, ''), m[2]!] as const;
      });
    expect(cols).toEqual(SIGN_IN_TABLE_COLUMNS.map(([n, t]) => [n, t]));
  });

  it('flattens objects to dotted columns and collections to parallel arrays, an array level per collection', () => {
    const record = {
      id: 'x',
      createdDateTime: '2018-01-09T21:17:21.5077253Z',
      status: { errorCode: 50126 },
      location: { city: 'Zürich', geoCoordinates: { latitude: 47.37 } },
      isInteractive: true,
      appliedConditionalAccessPolicies: [
        { id: 'p1', result: 'success', enforcedGrantControls: ['Mfa', null], includeRulesSatisfied: [{ ruleSatisfied: 'allApps' }] },
        null,
        { id: 'p3', enforcedGrantControls: null },
      ],
      authenticationDetails: [{ authenticationStepDateTime: '2018-01-09T21:17:21.0000001Z', succeeded: false }],
      appliedEventListeners: [{ handlerResult: { '@odata.type': '#x', n: [1, null] } }],
      signInEventTypes: [],
    };
    const text = encodeSignInRow(record, { ...base, json: JSON.stringify(record) });
    // 64-bit integers are written as digits (JSON.parse would round them): check them in the text.
    expect(text).toContain('"authenticationDetails.authenticationStepDateTime":[1515532641000000100]');
    expect(text).toContain('"created_ns":1515532641507725300,');
    expect(text).toContain('"event_key":18446744073709551615,');
    const row = JSON.parse(text) as Record<string, unknown>;
    expect(row['status.errorCode']).toBe(50126);
    expect(row['status.failureReason']).toBeNull();
    expect(row['location.city']).toBe('Zürich');
    expect(row['location.geoCoordinates.latitude']).toBe(47.37);
    expect(row['isInteractive']).toBe(1);
    expect(row['appliedConditionalAccessPolicies.id']).toEqual(['p1', null, 'p3']);
    expect(row['appliedConditionalAccessPolicies.result']).toEqual(['success', null, null]);
    expect(row['appliedConditionalAccessPolicies.enforcedGrantControls']).toEqual([['Mfa', null], [], []]);
    expect(row['appliedConditionalAccessPolicies.includeRulesSatisfied.ruleSatisfied']).toEqual([['allApps'], [], []]);
    expect(row['authenticationDetails.succeeded']).toEqual([0]);
    expect(row['appliedEventListeners.handlerResult']).toEqual(['{"@odata.type":"#x","n":[1,null]}']);
    expect(row['signInEventTypes']).toEqual([]);
    expect(row['riskEventTypes']).toEqual([]);
    expect(row['createdDateTime']).toBe('2018-01-09 21:17:21');
    expect(Object.keys(row)).toEqual(SIGN_IN_TABLE_COLUMNS.map(([n]) => n));
    expect(LEAF_COLUMNS.find((c) => c.name === 'appliedConditionalAccessPolicies.enforcedGrantControls')?.type).toBe('Array(Array(Nullable(String)))');
  });

  it('reads a record back in schema order, nulls dropped from objects, list items kept', () => {
    const text = JSON.stringify({
      userType: 'member',
      status: { failureReason: null, errorCode: 0 },
      createdDateTime: '2018-01-09T21:17:21Z',
      id: 'x',
      signInEventTypes: ['interactiveUser', null],
      appliedEventListeners: [{ handlerResult: { b: null, a: 1 }, eventType: 'tokenIssuanceStart' }],
      appDisplayName: null,
      authenticationDetails: [],
    });
    const s = storedFromRow('t', text, '{"u":{"/isRisky":false}}');
    expect(JSON.stringify(s.record)).toBe(
      '{"id":"x","createdDateTime":"2018-01-09T21:17:21Z","appliedEventListeners":[{"eventType":"tokenIssuanceStart","handlerResult":{"b":null,"a":1}}],"authenticationDetails":[],"signInEventTypes":["interactiveUser",null],"status":{"errorCode":0},"userType":"member"}',
    );
    expect(s.extra).toEqual({ u: { '/isRisky': false } });
    expect(storedFromRow('t', text, null, ['userType']).record).toEqual({ id: 'x', createdDateTime: '2018-01-09T21:17:21Z', userType: 'member' });
  });
});
