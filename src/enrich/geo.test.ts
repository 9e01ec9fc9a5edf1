import { describe, expect, it } from 'vitest';
import { enrichLocation } from './enrich-location.js';
import { GeoLocator, ipv6ToBigInt, isNonPublic, lazyGeoLocator } from './geo.js';
import { toOriginal, toGraph } from '../model/render.js';
import type { SignInRecord } from '../model/sign-in.js';

describe('offline geolocation', () => {
  const geo = GeoLocator.open();

  it('resolves known public addresses to their country and autonomous system', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({ countryOrRegion: 'US', asn: 15169 });
    expect(geo.lookup('131.107.159.37')).toMatchObject({ countryOrRegion: 'US', city: 'Redmond', asn: 3598 });
    expect(geo.lookup('1.1.1.1')?.asn).toBe(13335);
    expect(geo.lookup('2001:4860:4860::8888')?.asn).toBe(15169);
    expect(geo.lookup('2606:4700:4700::1111')?.asn).toBe(13335);
  });

  it('leaves private, loopback, link-local and malformed addresses alone', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '1.2.3.XXX', 'not an ip', '']) {
      expect(geo.lookup(ip), ip).toBeNull();
    }
    expect(isNonPublic('8.8.8.8')).toBe(false);
    expect(ipv6ToBigInt('::ffff:1.2.3.4')).toBe(0xffff01020304n);
  });

  it('adds a location and ASN only where the source gave none, marked as added', () => {
    const rec = { id: 'a', createdDateTime: '2026-01-01T00:00:00Z', ipAddress: '8.8.8.8' } as SignInRecord;
    const out = enrichLocation(rec, null, lazyGeoLocator());
    expect(out?.record.location?.countryOrRegion).toBe('US');
    expect(out?.record.autonomousSystemNumber).toBe(15169);
    expect(out?.extra.e).toEqual(['/location', '/autonomousSystemNumber']);
    // "As received" leaves added values out; the API shows them.
    expect(toOriginal(out!.record, out!.extra)).toEqual(rec);
    expect(toGraph(out!.record, out!.extra, 'beta')['autonomousSystemNumber']).toBe(15169);
  });

  it('never overwrites a location or ASN the source gave, and keeps an empty one as its original', () => {
    const given = { id: 'a', createdDateTime: '2026-01-01T00:00:00Z', ipAddress: '8.8.8.8', location: { city: 'Oslo', countryOrRegion: 'NO' }, autonomousSystemNumber: 7 } as SignInRecord;
    expect(enrichLocation(given, null, geo)).toBeNull();
    const empty = { id: 'b', createdDateTime: '2026-01-01T00:00:00Z', ipAddress: '8.8.8.8', location: { city: '', state: '', countryOrRegion: '' }, autonomousSystemNumber: 15169 } as SignInRecord;
    const out = enrichLocation(empty, null, geo);
    expect(out?.record.location?.countryOrRegion).toBe('US');
    expect(toOriginal(out!.record, out!.extra)).toEqual(empty);
  });
});
