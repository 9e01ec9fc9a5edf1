// A time limit on the store's reads, for the API: a read that has not answered within the limit
// answers 503 Store_Unavailable instead of holding the request (and its connection) open.
//
// The limit stops the wait, not the work: the store's seam (SignInStore) takes no cancellation, so
// the statement runs on in the store until it ends, on its own connection, and its result is dropped.
// @duckdb/node-api connections do have interrupt(); using it needs the store to take an AbortSignal
// (a change of src/store). Writes (openWriter) are not limited: an ingestion request answers once
// its batch is committed.
import { GatelogError } from '../errors.js';
import type { SignInStore } from '../store/sign-in-store.js';

const READS = new Set<string | symbol>(['get', 'query', 'count', 'listEvents', 'listRejects', 'countRejects', 'schemaVersion']);

function limited<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new GatelogError('Store_Unavailable', `The store did not answer within ${ms / 1000} seconds (${what}); nothing partial is returned. Narrow the query (a $filter on createdDateTime, a smaller $top) or try again later.`));
    }, ms);
    timer.unref();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The store, with every read limited to `ms` milliseconds. */
export function withQueryTimeout(store: SignInStore, ms: number): SignInStore {
  if (!(ms > 0) || !Number.isFinite(ms)) return store;
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      if (!READS.has(prop)) return fn;
      return (...args: unknown[]) => limited(Promise.resolve(fn(...args)), ms, String(prop));
    },
  });
}
