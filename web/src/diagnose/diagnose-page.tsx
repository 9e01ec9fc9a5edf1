// The Diagnose page (/ui/diagnose): the Sign-in Diagnostic over POST /api/diagnose. The address's
// query names what to diagnose (id, correlationId, requestId, user with since/until, token), so the
// details pane's "Troubleshoot" button (/ui/diagnose?id=ID) runs it at once; the form covers the
// other inputs. A pasted token is never put in the address (it would stay in the history): the
// form sends it directly, and a token arriving in the address is removed from it once read.
import {
  Badge,
  Button,
  Card,
  CardHeader,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TabList,
  Text,
  Textarea,
  tokens,
  Tooltip,
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { apiPost, ApiError } from '../app/api.js';
import { navigate, useLocation } from '../app/router.js';
import { formatTime, useTimeZone, zoneLabel } from '../app/time.js';

type Severity = 'failure' | 'warning' | 'interrupted' | 'info';

interface Evidence {
  field: string;
  value: unknown;
  signInId?: string;
  note?: string;
}

interface Finding {
  scenario: string;
  title: string;
  severity: Severity;
  assessment: string;
  evidence: Evidence[];
  nextSteps: string[];
}

interface SignInSummary {
  id: string;
  tenantId: string;
  createdDateTime: string;
  userPrincipalName: string | null;
  appDisplayName: string | null;
  ipAddress: string | null;
  errorCode: number;
  errorName: string;
  failureReason: string | null;
  correlationId: string | null;
  matchedBy?: string[];
}

interface Diagnosis {
  signIn: SignInSummary;
  errorCode: { code: number; known: boolean; name: string | null; meaning: string; remediation: string | null; failureReason: string | null; additionalDetails: string | null };
  severity: Severity;
  findings: Finding[];
  correlated: SignInSummary[];
  rawEvents: number;
}

interface TokenReading {
  signatureChecked: false;
  notice: string;
  uniqueTokenIdentifier: string | null;
  requestId: string | null;
  sessionId: string | null;
  issuedAt: string | null;
  claims: Record<string, unknown>;
}

interface DiagnoseResult {
  token?: TokenReading;
  signIns: SignInSummary[];
  truncated: boolean;
  diagnoses: Diagnosis[];
  notes: string[];
}

type Kind = 'id' | 'correlationId' | 'requestId' | 'user' | 'token';

type Request = { id: string } | { correlationId: string } | { requestId: string } | { user: string; since: string; until?: string } | { token: string };

const KINDS: readonly { kind: Kind; label: string }[] = [
  { kind: 'id', label: 'Sign-in ID' },
  { kind: 'correlationId', label: 'Correlation ID' },
  { kind: 'requestId', label: 'Request ID' },
  { kind: 'user', label: 'User and time' },
  { kind: 'token', label: 'Token' },
];

const SEVERITY: Record<Severity, { color: 'danger' | 'warning' | 'informative' | 'subtle'; label: string }> = {
  failure: { color: 'danger', label: 'Failure' },
  warning: { color: 'warning', label: 'Needs attention' },
  interrupted: { color: 'informative', label: 'Interrupted' },
  info: { color: 'subtle', label: 'Information' },
};

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, overflow: 'auto', height: '100%' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '900px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '280px' },
  findings: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  finding: { borderLeft: `4px solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  failure: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  warning: { borderLeftColor: tokens.colorPaletteYellowBorder2 },
  interrupted: { borderLeftColor: tokens.colorBrandStroke1 },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

function show(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** What the address asks for, or null. */
function requestFromQuery(search: string): { request: Request; kind: Kind } | null {
  const q = new URLSearchParams(search);
  const get = (k: string): string => (q.get(k) ?? '').trim();
  if (get('id')) return { request: { id: get('id') }, kind: 'id' };
  if (get('correlationId')) return { request: { correlationId: get('correlationId') }, kind: 'correlationId' };
  if (get('requestId')) return { request: { requestId: get('requestId') }, kind: 'requestId' };
  if (get('user')) return { request: { user: get('user'), since: get('since'), ...(get('until') ? { until: get('until') } : {}) }, kind: 'user' };
  if (get('token')) return { request: { token: get('token') }, kind: 'token' };
  return null;
}

/** An ISO time (with zone) from a datetime-local input, read in the browser's zone. */
function isoFromLocal(v: string): string {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function ErrorName({ s }: { s: SignInSummary }) {
  if (s.errorCode === 0) return <>Success</>;
  return (
    <Tooltip content={s.failureReason ?? s.errorName} relationship="description">
      <span>
        {s.errorCode} {s.errorName}
      </span>
    </Tooltip>
  );
}

function SignInTable({ rows, token }: { rows: SignInSummary[]; token: boolean }) {
  const zone = useTimeZone();
  return (
    <Table size="small" aria-label="Sign-ins found">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Date ({zoneLabel(zone)})</TableHeaderCell>
          <TableHeaderCell>Request ID</TableHeaderCell>
          <TableHeaderCell>User</TableHeaderCell>
          <TableHeaderCell>Application</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>IP address</TableHeaderCell>
          {token ? <TableHeaderCell>Matched by</TableHeaderCell> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((s) => (
          <TableRow key={`${s.tenantId}/${s.id}`}>
            <TableCell>{formatTime(s.createdDateTime, zone)}</TableCell>
            <TableCell>
              <Button appearance="transparent" size="small" onClick={() => navigate(`/?id=${encodeURIComponent(s.id)}&range=custom`)}>
                {s.id}
              </Button>
            </TableCell>
            <TableCell>{s.userPrincipalName ?? ''}</TableCell>
            <TableCell>{s.appDisplayName ?? ''}</TableCell>
            <TableCell>
              <ErrorName s={s} />
            </TableCell>
            <TableCell>{s.ipAddress ?? ''}</TableCell>
            {token ? <TableCell>{(s.matchedBy ?? []).join(', ')}</TableCell> : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function FindingView({ f }: { f: Finding }) {
  const s = useStyles();
  return (
    <section className={`${s.finding} ${f.severity === 'failure' ? s.failure : f.severity === 'warning' ? s.warning : f.severity === 'interrupted' ? s.interrupted : ''}`} aria-label={f.title} data-scenario={f.scenario}>
      <div className={s.row}>
        <Text weight="semibold">{f.title}</Text>
        <Badge appearance="tint" color={SEVERITY[f.severity].color}>
          {SEVERITY[f.severity].label}
        </Badge>
      </div>
      <Text>{f.assessment}</Text>
      <Table size="extra-small" aria-label={`Evidence: ${f.title}`}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Evidence</TableHeaderCell>
            <TableHeaderCell>Value</TableHeaderCell>
            <TableHeaderCell>Note</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {f.evidence.map((e, i) => (
            <TableRow key={i}>
              <TableCell className={s.mono}>
                {e.signInId ? `${e.signInId}: ` : ''}
                {e.field}
              </TableCell>
              <TableCell className={s.mono}>{show(e.value)}</TableCell>
              <TableCell>{e.note ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text weight="semibold">Next steps</Text>
      <ol className={s.list}>
        {f.nextSteps.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ol>
    </section>
  );
}

function DiagnosisCard({ d }: { d: Diagnosis }) {
  const s = useStyles();
  const zone = useTimeZone();
  const x = d.errorCode;
  return (
    <Card aria-label={`Diagnosis of sign-in ${d.signIn.id}`}>
      <CardHeader
        header={
          <Text weight="semibold">
            Sign-in {d.signIn.id} · {formatTime(d.signIn.createdDateTime, zone)} · {d.signIn.userPrincipalName ?? ''} → {d.signIn.appDisplayName ?? ''}
          </Text>
        }
        action={
          <Badge appearance="filled" color={SEVERITY[d.severity].color}>
            {SEVERITY[d.severity].label}
          </Badge>
        }
      />
      <Text>
        {x.code === 0 ? (
          'Error code 0: success.'
        ) : (
          <>
            Error code <strong>{x.code}</strong>
            {x.name ? ` (${x.name})` : ''}: {x.meaning}
          </>
        )}
      </Text>
      {x.failureReason ? <Text className={s.muted}>Failure reason, as recorded: {x.failureReason}</Text> : null}
      {x.remediation ? <Text>What to do: {x.remediation}</Text> : null}
      <div className={s.findings}>
        {d.findings.length === 0 ? <Text>No finding: nothing in this sign-in needs attention.</Text> : d.findings.map((f) => <FindingView key={f.scenario} f={f} />)}
      </div>
      {d.correlated.length > 0 ? (
        <>
          <Text weight="semibold">
            Same correlation ID ({d.signIn.correlationId}): {d.correlated.length} other sign-in{d.correlated.length === 1 ? '' : 's'}
          </Text>
          <SignInTable rows={d.correlated} token={false} />
          {d.signIn.correlationId ? (
            <div>
              <Button onClick={() => navigate(`/ui/correlations/${encodeURIComponent(d.signIn.correlationId ?? '')}`)}>Correlation timeline</Button>
            </div>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

export function DiagnosePage() {
  const s = useStyles();
  const loc = useLocation();
  const [kind, setKind] = useState<Kind>('id');
  const [draft, setDraft] = useState({ id: '', correlationId: '', requestId: '', user: '', since: '', until: '', token: '' });
  const [request, setRequest] = useState<Request | null>(null);
  const [result, setResult] = useState<DiagnoseResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The address names what to diagnose: run it (the Troubleshoot button lands here).
  useEffect(() => {
    const asked = requestFromQuery(loc.search);
    if (!asked) return;
    setKind(asked.kind);
    setRequest(asked.request);
    if (asked.kind === 'token') navigate('/ui/diagnose', true);
  }, [loc.search]);

  useEffect(() => {
    if (!request) return;
    const abort = new AbortController();
    setBusy(true);
    setError(null);
    setResult(null);
    apiPost<DiagnoseResult>('/api/diagnose', request, abort.signal)
      .then((r) => setResult(r))
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e instanceof ApiError ? e.message : String(e));
      })
      .finally(() => {
        if (!abort.signal.aborted) setBusy(false);
      });
    return () => abort.abort();
  }, [request]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === 'token') {
      setRequest({ token: draft.token.trim() });
      return;
    }
    const q = new URLSearchParams();
    if (kind === 'user') {
      q.set('user', draft.user.trim());
      if (draft.since) q.set('since', isoFromLocal(draft.since));
      if (draft.until) q.set('until', isoFromLocal(draft.until));
    } else {
      q.set(kind, draft[kind].trim());
    }
    navigate(`/ui/diagnose?${q.toString()}`);
  };

  const set = (k: keyof typeof draft) => (_: unknown, d: { value: string }) => setDraft({ ...draft, [k]: d.value });

  return (
    <div className={s.page}>
      <Text as="h1" size={600} weight="semibold">
        Sign-in diagnostic
      </Text>
      <Text className={s.muted}>Why did a sign-in fail, and what to do: for every sign-in Gatelog holds, whatever its age.</Text>
      <form className={s.form} onSubmit={submit} aria-label="What to diagnose">
        <TabList selectedValue={kind} onTabSelect={(_, d) => setKind(d.value as Kind)} aria-label="Input">
          {KINDS.map((k) => (
            <Tab key={k.kind} value={k.kind}>
              {k.label}
            </Tab>
          ))}
        </TabList>
        <div className={s.row}>
          {kind === 'user' ? (
            <>
              <Field label="User (user principal name or object ID)" className={s.grow}>
                <Input value={draft.user} onChange={set('user')} placeholder="megan@contoso.com" />
              </Field>
              <Field label="Since" required>
                <Input type="datetime-local" value={draft.since} onChange={set('since')} />
              </Field>
              <Field label="Until">
                <Input type="datetime-local" value={draft.until} onChange={set('until')} />
              </Field>
            </>
          ) : kind === 'token' ? (
            <Field label="Token (JWT)" hint="Decoded in Gatelog without checking its signature; uti gives the request ID, sid the session. It is not kept." className={s.grow}>
              <Textarea value={draft.token} onChange={set('token')} resize="vertical" placeholder="eyJ0eXAiOiJKV1Qi…" />
            </Field>
          ) : (
            <Field label={KINDS.find((k) => k.kind === kind)?.label ?? ''} className={s.grow}>
              <Input value={draft[kind]} onChange={set(kind)} placeholder="00000000-0000-0000-0000-000000000000" />
            </Field>
          )}
          <Button appearance="primary" type="submit" disabled={busy}>
            Diagnose
          </Button>
        </div>
      </form>
      {busy ? <Spinner label="Diagnosing…" /> : null}
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      ) : null}
      {result ? (
        <>
          {result.token ? (
            <Card aria-label="Token">
              <MessageBar intent="warning">
                <MessageBarBody>{result.token.notice}</MessageBarBody>
              </MessageBar>
              <Text>
                uti (unique token identifier): <span className={s.mono}>{result.token.uniqueTokenIdentifier ?? '—'}</span> → request ID <span className={s.mono}>{result.token.requestId ?? '—'}</span>
              </Text>
              <Text>
                sid (session ID): <span className={s.mono}>{result.token.sessionId ?? '—'}</span>
                {result.token.issuedAt ? ` · issued ${result.token.issuedAt}` : ''}
              </Text>
            </Card>
          ) : null}
          {result.notes
            .filter((n) => !result.token || n !== result.token.notice)
            .map((n) => (
              <MessageBar key={n} intent="info">
                <MessageBarBody>{n}</MessageBarBody>
              </MessageBar>
            ))}
          {result.signIns.length > 0 ? (
            <>
              <Text weight="semibold">
                Authentication summary: {result.signIns.length}
                {result.truncated ? '+' : ''} sign-in{result.signIns.length === 1 ? '' : 's'}
              </Text>
              <SignInTable rows={result.signIns} token={result.token !== undefined} />
            </>
          ) : null}
          {result.diagnoses.map((d) => (
            <DiagnosisCard key={`${d.signIn.tenantId}/${d.signIn.id}`} d={d} />
          ))}
        </>
      ) : null}
    </div>
  );
}
