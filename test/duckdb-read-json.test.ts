// Pages of whole records are read as JSON that DuckDB writes (layout.ts recordFromJson): the same
// records as converting the row value by value (rowToStored, which `get` uses), times in Graph's
// rendering at every precision, and a value JSON cannot hold (NaN) still read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGraph } from '../src/model/render.js';
import { INTERACTIVE_ONLY } from '../src/query/plan.js';
import { TRUE } from '../src/query/sql/expr.js';
import { graphTime } from '../src/store/duckdb/layout.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { incoming, signIn } from './helpers/records.js';

describe('whole records read as DuckDB JSON', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await DuckDbStore.open({ dataDir: ':memory:' });
    const w = store.openWriter();
    const times = ['2026-03-01T10:00:00Z', '2026-03-01T10:00:01.5Z', '2026-03-01T10:00:02.123Z', '2026-03-01T10:00:03.1234567Z', '2026-03-01T10:00:04.0000001Z', '1999-12-31T23:59:59.9999999Z'];
    for (const [i, t] of times.entries()) {
      await w.add(
        incoming(
          signIn({
            createdDateTime: t,
            location: { city: 'Oslo', countryOrRegion: 'NO', geoCoordinates: { latitude: 59.91 + i, longitude: 10.75, altitude: null } },
            authenticationDetails: [{ authenticationMethod: 'Password', succeeded: true, authenticationStepDateTime: t }, { authenticationMethod: 'Text message', succeeded: false }],
            appliedConditionalAccessPolicies: [],
            userAgent: i === 0 ? 'quote " backslash \\ tab \t unicode é ✓' : 'x',
            ...(i === 2 ? { appliedEventListeners: [{ eventType: 'tokenIssuanceStart', executedListenerId: 'l1', handlerResult: { '@odata.type': '#microsoft.graph.onTokenIssuanceStartHandlerResult', customExtension: { id: 'x' } } }] } : {}),
          }),
        ),
      );
    }
    await w.flush();
  });
  afterAll(async () => store?.close());

  it('gives the records `get` gives, field for field', async () => {
    const page = await store.query({ where: TRUE, order: 'desc', limit: 100 });
    expect(page).toHaveLength(6);
    for (const s of page) expect(s).toEqual(await store.get(s.record.id));
    expect(page.map((s) => s.record.createdDateTime)).toContain('2026-03-01T10:00:03.1234567Z');
    expect(page.map((s) => s.record.createdDateTime)).toContain('2026-03-01T10:00:00Z');
    expect(page.find((s) => s.record.createdDateTime === '2026-03-01T10:00:00Z')?.record.userAgent).toBe('quote " backslash \\ tab \t unicode é ✓');
  });

  it("writes Graph's beta rendering of a record as toGraph does, with times, lists and JSON-held values", async () => {
    const page = await store.query({ where: TRUE, order: 'desc', limit: 100, graphBeta: true });
    expect(page).toHaveLength(6);
    for (const s of page) {
      expect(s.graphBeta, s.record.id).toBeDefined();
      // The record is read back from the rendering: the one `get` converts value by value.
      const got = await store.get(s.record.id);
      expect(s.record).toEqual(got?.record);
      expect(JSON.parse(s.graphBeta as string)).toEqual(toGraph(got!.record, got!.extra, 'beta'));
    }
    const withListener = page.find((s) => s.record.appliedEventListeners !== undefined);
    expect(JSON.parse(withListener?.graphBeta as string).appliedEventListeners[0].handlerResult).toEqual({ '@odata.type': '#microsoft.graph.onTokenIssuanceStartHandlerResult', customExtension: { id: 'x' } });
    // Without the flag, no rendering is written.
    expect((await store.query({ where: TRUE, order: 'desc', limit: 1 }))[0]?.graphBeta).toBeUndefined();
  });

  it('renders DuckDB times as Graph does', () => {
    expect(graphTime('2026-10-20 10:00:00.1234567')).toBe('2026-10-20T10:00:00.1234567Z');
    expect(graphTime('2026-10-20 10:00:00.120')).toBe('2026-10-20T10:00:00.12Z');
    expect(graphTime('2026-10-20 10:00:00')).toBe('2026-10-20T10:00:00Z');
    expect(graphTime('2026-10-20 10:00:00.000000001')).toBe('2026-10-20T10:00:00.000000001Z');
  });

  it('reads a page holding a value JSON cannot hold (NaN) value by value instead', async () => {
    const con = (store as unknown as { con: { run(sql: string): Promise<unknown> } }).con;
    await con.run(`UPDATE sign_ins SET location = struct_pack(city := location.city, state := location.state, countryOrRegion := location.countryOrRegion, geoCoordinates := struct_pack(altitude := NULL::DOUBLE, latitude := 'NaN'::DOUBLE, longitude := 10.75)) WHERE "createdDateTime" = TIMESTAMP_NS '2026-03-01 10:00:01.5'`);
    const page = await store.query({ where: INTERACTIVE_ONLY, order: 'asc', limit: 100, graphBeta: true });
    expect(page).toHaveLength(6);
    expect(page.every((s) => s.graphBeta === undefined)).toBe(true);
    expect(Number.isNaN(page.find((s) => s.record.createdDateTime === '2026-03-01T10:00:01.5Z')?.record.location?.geoCoordinates?.latitude)).toBe(true);
  });

  it('reads a record with an overlay (an unknown enum value) as it is stored, beside rendered ones', async () => {
    const w = store.openWriter();
    await w.add(incoming(signIn({ createdDateTime: '2026-03-02T10:00:00.1234567Z', conditionalAccessStatus: 'aNewStatus' as never })));
    await w.flush();
    const page = await store.query({ where: TRUE, order: 'desc', limit: 2, graphBeta: true });
    const [overlay, rendered] = page;
    expect(overlay?.record.createdDateTime).toBe('2026-03-02T10:00:00.1234567Z');
    expect(overlay?.graphBeta).toBeUndefined();
    expect(overlay?.extra).not.toBeNull();
    expect(overlay).toEqual(await store.get(overlay!.record.id));
    expect(rendered?.graphBeta).toBeDefined();
    expect(rendered?.record).toEqual((await store.get(rendered!.record.id))?.record);
  });
});
