// Adds what the offline databases know about a sign-in's IP address, where the record has none:
// location (city, state, country, coordinates) and the autonomous system number. Never replaces
// what the source gave. Each added value is marked in the extra overlay (`e`), so views of the
// record "as received" leave it out and the API can say where it came from.
import type { Extra, SignInRecord } from '../model/sign-in.js';
import type { GeoFacts } from './geo.js';

export interface Locator {
  lookup(ip: string): GeoFacts | null;
}

const hasText = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/** True when the source said nothing about where the sign-in came from. */
function noLocation(record: SignInRecord): boolean {
  const l = record.location;
  return !l || (!hasText(l.city) && !hasText(l.state) && !hasText(l.countryOrRegion));
}

/**
 * Returns the record with added values and the updated extra, or null when nothing was added.
 * The input record is not changed.
 */
export function enrichLocation(record: SignInRecord, extra: Extra | null, locator: Locator): { record: SignInRecord; extra: Extra } | null {
  const ip = record.ipAddress;
  if (typeof ip !== 'string' || ip === '' || ip.includes('X') || ip.includes('x')) return null;
  const wantLocation = noLocation(record);
  const wantAsn = record.autonomousSystemNumber === undefined || record.autonomousSystemNumber === null;
  if (!wantLocation && !wantAsn) return null;
  const facts = locator.lookup(ip);
  if (!facts) return null;
  const out: SignInRecord = { ...record };
  const added: string[] = [];
  const originals: Record<string, unknown> = {};
  if (wantLocation && (facts.city || facts.state || facts.countryOrRegion)) {
    // An empty location the source sent ({} or blank strings) is kept as its original.
    if (record.location !== undefined && record.location !== null) originals['/location'] = record.location;
    out.location = {
      ...(facts.city ? { city: facts.city } : {}),
      ...(facts.state ? { state: facts.state } : {}),
      ...(facts.countryOrRegion ? { countryOrRegion: facts.countryOrRegion } : {}),
      ...(facts.latitude !== undefined && facts.longitude !== undefined ? { geoCoordinates: { latitude: facts.latitude, longitude: facts.longitude } } : {}),
    };
    added.push('/location');
  }
  if (wantAsn && facts.asn !== undefined) {
    out.autonomousSystemNumber = facts.asn;
    added.push('/autonomousSystemNumber');
  }
  if (added.length === 0) return null;
  const next: Extra = { ...(extra ?? {}) };
  next.e = [...(extra?.e ?? []), ...added];
  if (Object.keys(originals).length) next.o = { ...(extra?.o ?? {}), ...originals };
  return { record: out, extra: next };
}
