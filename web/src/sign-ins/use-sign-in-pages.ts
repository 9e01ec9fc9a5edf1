// Loads the list a keyset page at a time from GET /api/signins, as the list scrolls (no row cap:
// the next page is asked for whenever the last loaded rows come into view), and the count of the
// whole view beside it (a separate request, so the first page never waits for the count).
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiGet, ApiError } from '../app/api.js';
import type { ListRow } from './columns.js';

interface ListAnswer {
  value: ListRow[];
  skiptoken: string | null;
  count?: number;
}

export interface SignInPages {
  rows: ListRow[];
  loading: boolean;
  error: string | null;
  done: boolean;
  count: number | null;
  loadMore(): void;
}

const FIRST_PAGE = 100;
const NEXT_PAGE = 1000;

function firstPageQuery(filter: string, eventTypes: string, order: 'asc' | 'desc'): Record<string, string> {
  return { filter, eventTypes, orderby: `createdDateTime ${order}`, top: String(FIRST_PAGE) };
}

/** A first page asked for before React rendered (main.tsx), for the hook to pick up. */
let early: { key: string; answer: Promise<ListAnswer> } | null = null;

/**
 * Starts loading the first page of a listing at once — while the app is still rendering — so the
 * first rows arrive sooner; the hook takes this answer instead of asking again.
 */
export function prefetchFirstPage(filter: string, eventTypes: string, order: 'asc' | 'desc'): void {
  const query = firstPageQuery(filter, eventTypes, order);
  const answer = apiGet<ListAnswer>('/api/signins', query);
  answer.catch(() => undefined);
  early = { key: JSON.stringify(query), answer };
}

function takeEarly(query: Record<string, string>): Promise<ListAnswer> | null {
  const e = early;
  early = null;
  return e && e.key === JSON.stringify(query) ? e.answer : null;
}

export function useSignInPages(filter: string, eventTypes: string, order: 'asc' | 'desc'): SignInPages {
  const [rows, setRows] = useState<ListRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const next = useRef<string | null>(null);
  const busy = useRef(false);
  const generation = useRef(0);

  const fetchPage = useCallback(
    (first: boolean) => {
      if (busy.current) return;
      busy.current = true;
      setLoading(true);
      const gen = generation.current;
      const request = first
        ? (takeEarly(firstPageQuery(filter, eventTypes, order)) ?? apiGet<ListAnswer>('/api/signins', firstPageQuery(filter, eventTypes, order)))
        : apiGet<ListAnswer>('/api/signins', { filter, eventTypes, orderby: `createdDateTime ${order}`, top: String(NEXT_PAGE), skiptoken: next.current ?? undefined });
      request
        .then((answer) => {
          if (gen !== generation.current) return;
          next.current = answer.skiptoken;
          setRows((prev) => (first ? answer.value : prev.concat(answer.value)));
          setDone(answer.skiptoken === null);
          setError(null);
        })
        .catch((e: unknown) => {
          if (gen !== generation.current) return;
          setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
          setDone(true);
        })
        .finally(() => {
          if (gen !== generation.current) return;
          busy.current = false;
          setLoading(false);
        });
    },
    [filter, eventTypes, order],
  );

  useEffect(() => {
    generation.current++;
    busy.current = false;
    next.current = null;
    setRows([]);
    setDone(false);
    setCount(null);
    fetchPage(true);
  }, [fetchPage]);

  // The count of the whole view, once the first page is in: asked for beside it, the count (a scan
  // of every matching row) would compete with the first page for the store.
  const firstIn = rows.length > 0 || done;
  useEffect(() => {
    if (!firstIn) return;
    const gen = generation.current;
    const controller = new AbortController();
    apiGet<ListAnswer>('/api/signins', { filter, eventTypes, top: '1', count: 'true' }, controller.signal)
      .then((a) => {
        if (gen === generation.current) setCount(a.count ?? null);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [firstIn, filter, eventTypes]);

  const loadMore = useCallback(() => {
    if (!done && next.current !== null) fetchPage(false);
  }, [done, fetchPage]);

  return { rows, loading, error, done, count, loadMore };
}
