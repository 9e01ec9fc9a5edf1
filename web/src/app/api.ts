// The web UI's one way to call Gatelog's API: same-origin fetches signed in by the session cookie,
// with the CSRF token (the gatelog_csrf cookie echoed in X-CSRF-Token) on every request that is not
// a GET. Errors come back in Graph's shape ({ error: { code, message } }) and are thrown as ApiError.

/** An answer that was not 2xx, with Graph's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  const m = /(?:^|;\s*)gatelog_csrf=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1] ?? '') : '';
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = 'Request_Failed';
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(response.status, code, message);
}

/** GET `path` (with `query` appended) and parse the JSON answer. */
export async function apiGet<T>(path: string, query?: Record<string, string | undefined>, signal?: AbortSignal): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  const response = await fetch(qs ? `${path}?${qs}` : path, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

/** POST `body` as JSON to `path` and parse the JSON answer. */
export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}
