// The correlation view (/ui/correlations/ID): every line item and raw event that shares a
// correlation ID, on one timeline, oldest first (GET /api/correlations/{id}).
import { Button, Input, makeStyles, MessageBar, Spinner, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { apiGet, ApiError } from '../app/api.js';
import { navigate } from '../app/router.js';
import { formatTime, useTimeZone, zoneLabel } from '../app/time.js';
import { statusText } from '../sign-ins/columns.js';

type Rec = Record<string, unknown>;

interface Correlation {
  correlationId: string;
  signIns: Rec[];
  events: Rec[];
}

interface Entry {
  time: string;
  kind: 'sign-in' | 'raw event';
  title: string;
  detail: string;
  signInId: string;
}

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, overflow: 'auto', height: '100%' },
  form: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  timeline: { listStyle: 'none', margin: 0, padding: 0, borderLeft: `2px solid ${tokens.colorBrandStroke1}`, marginLeft: tokens.spacingHorizontalM },
  item: { position: 'relative', padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, '::before': { content: '""', position: 'absolute', left: '-7px', top: '14px', width: '12px', height: '12px', borderRadius: '50%', backgroundColor: tokens.colorBrandBackground } },
  event: { '::before': { backgroundColor: tokens.colorNeutralBackground5 } },
  time: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3 },
});

function text(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function entriesOf(c: Correlation): Entry[] {
  const out: Entry[] = [];
  for (const s of c.signIns) {
    const types = Array.isArray(s['signInEventTypes']) ? (s['signInEventTypes'] as unknown[]).join(', ') : '';
    out.push({
      time: text(s['createdDateTime']),
      kind: 'sign-in',
      title: `${text(s['appDisplayName']) || text(s['servicePrincipalName'])} → ${text(s['resourceDisplayName'])}: ${statusText(s)}`,
      detail: `${types} · ${text(s['userPrincipalName']) || text(s['servicePrincipalId'])} · ${text(s['ipAddress'])} · request ${text(s['id'])}`,
      signInId: text(s['id']),
    });
  }
  for (const e of c.events) {
    out.push({
      time: text(e['observedAt'] ?? e['createdDateTime']),
      kind: 'raw event',
      title: `Raw event (${text(e['format'])})${Array.isArray(e['partial']) ? `: ${(e['partial'] as unknown[]).join(', ')}` : ''}`,
      detail: `sign-in ${text(e['signInId'])} · received ${text(e['receivedAt'])}${e['source'] ? ` · ${text(e['source'])}` : ''}${e['line'] != null ? ` line ${text(e['line'])}` : ''}`,
      signInId: text(e['signInId']),
    });
  }
  return out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.kind === 'sign-in' ? -1 : 1));
}

export function CorrelationPage({ id }: { id: string }) {
  const s = useStyles();
  const zone = useTimeZone();
  const [data, setData] = useState<Correlation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState(id);
  useEffect(() => {
    setDraft(id);
    setData(null);
    setError(null);
    if (!id) return;
    const controller = new AbortController();
    apiGet<Correlation>(`/api/correlations/${encodeURIComponent(id)}`, undefined, controller.signal)
      .then(setData)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof ApiError ? e.message : String(e));
      });
    return () => controller.abort();
  }, [id]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) navigate(`/ui/correlations/${encodeURIComponent(draft.trim())}`);
  };
  const entries = data ? entriesOf(data) : [];
  return (
    <div className={s.page}>
      <Text as="h1" size={600} weight="semibold">
        Correlation timeline
      </Text>
      <form className={s.form} onSubmit={submit}>
        <Input aria-label="Correlation ID" value={draft} onChange={(_, d) => setDraft(d.value)} placeholder="Correlation ID" style={{ width: 360 }} />
        <Button type="submit" appearance="primary">
          Show
        </Button>
      </form>
      {error ? <MessageBar intent="error">{error}</MessageBar> : null}
      {id && !data && !error ? <Spinner label="Loading…" /> : null}
      {data ? (
        <>
          <Text>
            {data.signIns.length} sign-ins and {data.events.length} raw events share correlation ID {data.correlationId}. Times in {zoneLabel(zone)}.
          </Text>
          <ol className={s.timeline} aria-label="Timeline">
            {entries.map((e, i) => (
              <li key={i} className={e.kind === 'raw event' ? `${s.item} ${s.event}` : s.item} data-kind={e.kind}>
                <div className={s.time}>{formatTime(e.time, zone)}</div>
                <Text weight="semibold" block>
                  {e.kind === 'sign-in' ? (
                    <Button appearance="transparent" onClick={() => navigate(`/?id=${encodeURIComponent(e.signInId)}&range=custom`)}>
                      {e.title}
                    </Button>
                  ) : (
                    e.title
                  )}
                </Text>
                <Text size={200}>{e.detail}</Text>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}
