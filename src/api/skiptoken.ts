// $skiptoken: an opaque, signed keyset position plus the fingerprint of the query it belongs to.
// It never expires (the signing key lives in the data directory), stays right while sign-ins
// arrive (a keyset, not an offset), and is refused when altered or used for another query.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { GatelogError } from '../errors.js';
import type { Keyset } from '../query/sql/expr.js';

export interface SkipTokenCodec {
  encode(position: Keyset, queryFingerprint: string): string;
  /** The position, or a 400 (Request_InvalidSkipToken) saying why not. */
  decode(token: string, queryFingerprint: string): Keyset;
}

/** Fingerprint of everything that makes a listing the listing it is (not its page size). */
export function fingerprint(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export function skipTokenCodec(key: Buffer): SkipTokenCodec {
  const sign = (payload: string): string => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    encode(position, fp) {
      const payload = Buffer.from(JSON.stringify({ v: 1, f: fp, k: [position.time, position.id, position.tenant] })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    decode(token, fp) {
      const invalid = (why: string): never => {
        throw new GatelogError('Request_InvalidSkipToken', `The $skiptoken ${why}; request the listing again without $skiptoken.`);
      };
      const dot = token.indexOf('.');
      if (dot < 1) return invalid('is not one Gatelog issued');
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = Buffer.from(sign(payload), 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid('was altered or was not issued by this server');
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return invalid('is not one Gatelog issued');
      }
      const p = parsed as { v?: unknown; f?: unknown; k?: unknown };
      if (p.v !== 1 || !Array.isArray(p.k) || p.k.length !== 3 || !p.k.every((x) => typeof x === 'string')) return invalid('is not one Gatelog issued');
      if (p.f !== fp) return invalid('belongs to a different query (filter, order, selection, version or caller)');
      const [time, id, tenant] = p.k as [string, string, string];
      return { time, id, tenant };
    },
  };
}
