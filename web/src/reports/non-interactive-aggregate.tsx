// The non-interactive sign-ins' aggregate view: sign-ins grouped by application, user, IP address,
// status and resource over 1 h / 6 h / 24 h windows, as the portal offers it (GET /api/signins/aggregate).
import { makeStyles, MessageBar, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { apiGet } from '../app/api.js';
import { formatTime, useTimeZone, zoneLabel } from '../app/time.js';
import type { Row } from './report-types.js';

export interface NonInteractiveAggregateProps {
  /** The list's current Graph $filter (beta), without the event type. */
  filter: string;
  window: '1h' | '6h' | '24h';
}

interface AggregateAnswer {
  window: string;
  rows: Row[];
  truncated: boolean;
  signIns: number;
}

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minHeight: 0, overflow: 'auto' },
  note: { color: tokens.colorNeutralForeground3 },
});

const text = (v: Row[string] | undefined): string => (v === null || v === undefined ? '' : String(v));

function status(code: Row[string] | undefined): string {
  if (code === 0) return 'Success';
  if (typeof code === 'number') return `Failure (${code})`;
  return '';
}

export function NonInteractiveAggregate(props: NonInteractiveAggregateProps) {
  const styles = useStyles();
  const zone = useTimeZone();
  const [answer, setAnswer] = useState<AggregateAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setAnswer(null);
    setError(null);
    apiGet<AggregateAnswer>('/api/signins/aggregate', { window: props.window, filter: props.filter }, ctrl.signal)
      .then(setAnswer)
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => ctrl.abort();
  }, [props.filter, props.window]);

  if (error) return <MessageBar intent="error">{error}</MessageBar>;
  if (!answer) return <Spinner size="tiny" label="Aggregating…" labelPosition="after" />;
  return (
    <div className={styles.root} data-aggregate-window={answer.window} data-sign-ins={answer.signIns}>
      <Text className={styles.note} size={200}>
        {answer.signIns.toLocaleString('en-US')} non-interactive sign-ins in {answer.rows.length.toLocaleString('en-US')} groups of the same application, user, IP address, status and resource within {props.window} windows
        {answer.truncated ? ' (the newest groups only: narrow the filter to see the rest)' : ''}. Times: {zoneLabel(zone)}.
      </Text>
      <Table size="small" aria-label="Aggregated non-interactive sign-ins">
        <TableHeader>
          <TableRow>
            {['Window', 'Application', 'User', 'IP address', 'Status', 'Resource', '# sign-ins', 'First', 'Last'].map((h) => (
              <TableHeaderCell key={h}>{h}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {answer.rows.map((r, i) => (
            <TableRow key={i} data-row={i}>
              <TableCell>{formatTime(text(r['window']), zone)}</TableCell>
              <TableCell title={text(r['appId'])}>{text(r['application'] ?? r['appId'])}</TableCell>
              <TableCell title={text(r['userPrincipalName'])}>{text(r['user'] ?? r['userPrincipalName'] ?? r['userId'])}</TableCell>
              <TableCell>{text(r['ipAddress'])}</TableCell>
              <TableCell>{status(r['errorCode'])}</TableCell>
              <TableCell title={text(r['resourceId'])}>{text(r['resource'] ?? r['resourceId'])}</TableCell>
              <TableCell data-column="signIns">{text(r['signIns'])}</TableCell>
              <TableCell>{formatTime(text(r['firstSignIn']), zone)}</TableCell>
              <TableCell>{formatTime(text(r['lastSignIn']), zone)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
