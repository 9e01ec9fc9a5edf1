// The details pane of one sign-in, with the portal's tabs: Basic info, Location, Device info,
// Authentication details, Conditional Access, Report-only and Additional details. It reads the
// whole record from GET /beta/auditLogs/signIns/{id} (the Graph beta shape).
import { Button, makeStyles, MessageBar, Spinner, Tab, TabList, Text, tokens, Tooltip } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular, DismissRegular, WrenchRegular } from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { explainErrorCode } from '../../../../src/diagnose/error-codes.js';
import { apiGet, ApiError } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { formatTime, useTimeZone, zoneLabel } from '../../app/time.js';
import { locationText, statusText } from '../columns.js';

type Rec = Record<string, unknown>;

export const DETAIL_TABS: readonly { key: string; label: string }[] = [
  { key: 'basic', label: 'Basic info' },
  { key: 'location', label: 'Location' },
  { key: 'device', label: 'Device info' },
  { key: 'auth', label: 'Authentication details' },
  { key: 'ca', label: 'Conditional Access' },
  { key: 'reportOnly', label: 'Report-only' },
  { key: 'additional', label: 'Additional details' },
];

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%', gap: tokens.spacingVerticalS },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  title: { flexGrow: 1 },
  tabs: { overflowX: 'auto', flexShrink: 0 },
  tab: { paddingLeft: tokens.spacingHorizontalXS, paddingRight: tokens.spacingHorizontalXS },
  body: { overflow: 'auto', flexGrow: 1, minHeight: 0, paddingRight: tokens.spacingHorizontalS },
  dl: { display: 'grid', gridTemplateColumns: '210px 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, margin: 0 },
  dt: { color: tokens.colorNeutralForeground3 },
  dd: { margin: 0, wordBreak: 'break-word', display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  section: { marginTop: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalXS },
  table: { borderCollapse: 'collapse', width: '100%', fontSize: tokens.fontSizeBase200, '& td:first-child': { minWidth: '200px' }, '& th, & td': { textAlign: 'left', padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: 'top' } },
  pre: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 },
  failure: { color: tokens.colorPaletteRedForeground1 },
});

function at(r: Rec, path: string): unknown {
  let cur: unknown = r;
  for (const p of path.split('/')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Rec)[p];
  }
  return cur;
}

function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (Array.isArray(v)) return v.map(text).join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  if (!value) return null;
  return (
    <Tooltip content={copied ? 'Copied' : `Copy ${label}`} relationship="label">
      <Button
        size="small"
        appearance="subtle"
        icon={copied ? <CheckmarkRegular /> : <CopyRegular />}
        aria-label={`Copy ${label}`}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
        }}
      />
    </Tooltip>
  );
}

interface Item {
  label: string;
  value: ReactNode;
  copy?: string;
}

function Fields({ items }: { items: readonly Item[] }) {
  const s = useStyles();
  return (
    <dl className={s.dl}>
      {items.map((it) => (
        <div key={it.label} style={{ display: 'contents' }}>
          <dt className={s.dt}>{it.label}</dt>
          <dd className={s.dd}>
            <span>{it.value === '' || it.value === null || it.value === undefined ? '—' : it.value}</span>
            {it.copy ? <CopyButton value={it.copy} label={it.label} /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const CROSS_TENANT: Record<string, string> = {
  none: "None: the sign-in didn't cross a tenant's boundary",
  b2bCollaboration: 'B2B collaboration: a guest signing in to this tenant',
  b2bDirectConnect: 'B2B direct connect: a user of another tenant reaching a shared resource without a guest account',
  microsoftSupport: 'Microsoft support: a Microsoft support agent',
  serviceProvider: 'Service provider: a partner (CSP or similar) administering on the customer’s behalf',
  passthrough: "Passthrough: a token sent to a tenant where the user has no access, logged in the user's home tenant",
  unknownFutureValue: 'Unknown',
};

function crossTenantText(v: unknown): string {
  const parts = text(v).split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (parts.length === 0) return '';
  return parts.map((p) => CROSS_TENANT[p] ?? p).join('; ');
}

const AUTH_REQUIREMENT: Record<string, string> = { singleFactorAuthentication: 'Single-factor authentication', multiFactorAuthentication: 'Multifactor authentication' };

function BasicInfo({ r }: { r: Rec }) {
  const s = useStyles();
  const zone = useTimeZone();
  const code = at(r, 'status/errorCode');
  const explained = typeof code === 'number' ? explainErrorCode(code, (r['status'] as Rec | null) ?? {}) : null;
  const home = text(r['homeTenantId']);
  const resource = text(r['resourceTenantId']);
  const crossTenant = home !== '' && resource !== '' && home !== resource;
  const status = statusText(r);
  return (
    <>
      <Fields
        items={[
          { label: 'Date', value: `${formatTime(text(r['createdDateTime']), zone)} (${zoneLabel(zone, new Date(text(r['createdDateTime'])))})` },
          { label: 'Date (UTC)', value: text(r['createdDateTime']) },
          { label: 'Request ID', value: text(r['id']), copy: text(r['id']) },
          { label: 'Correlation ID', value: text(r['correlationId']), copy: text(r['correlationId']) },
          { label: 'Unique token identifier', value: text(r['uniqueTokenIdentifier']), copy: text(r['uniqueTokenIdentifier']) },
          { label: 'Authentication requirement', value: AUTH_REQUIREMENT[text(r['authenticationRequirement'])] ?? text(r['authenticationRequirement']) },
          { label: 'Status', value: <span className={status === 'Success' ? undefined : s.failure}>{status}</span> },
          { label: 'Sign-in event types', value: text(r['signInEventTypes']) },
        ]}
      />
      <Text as="h3" weight="semibold" className={s.section} block>
        Who
      </Text>
      <Fields
        items={[
          { label: 'User', value: text(r['userDisplayName']) },
          { label: 'Username', value: text(r['userPrincipalName']) },
          { label: 'User ID', value: text(r['userId']), copy: text(r['userId']) },
          { label: 'User type', value: text(r['userType']) === 'guest' ? 'Guest (an account from outside this tenant)' : text(r['userType']) === 'member' ? 'Member' : text(r['userType']) },
          { label: 'Cross tenant access type', value: crossTenantText(r['crossTenantAccessType']) },
          { label: 'Home tenant ID', value: home },
          { label: 'Home tenant name', value: text(r['homeTenantName']) || (crossTenant ? 'Not shown for cross-tenant sign-ins (privacy commitment of Microsoft Entra ID)' : '') },
          { label: 'Resource tenant ID', value: resource },
          { label: 'Cross-tenant sign-in', value: home === '' || resource === '' ? '' : crossTenant ? 'Yes: the home tenant differs from the resource tenant' : 'No: home tenant and resource tenant are the same' },
          { label: 'Service principal', value: text(r['servicePrincipalName']) },
          { label: 'Service principal ID', value: text(r['servicePrincipalId']) },
          { label: 'Managed identity type', value: text(at(r, 'managedServiceIdentity/msiType')) },
        ]}
      />
      <Text as="h3" weight="semibold" className={s.section} block>
        How
      </Text>
      <Fields
        items={[
          { label: 'Client app', value: text(r['clientAppUsed']) },
          { label: 'Client credential type', value: text(r['clientCredentialType']) },
          { label: 'Authentication protocol', value: text(r['authenticationProtocol']) },
          { label: 'Incoming token type', value: text(r['incomingTokenType']) },
          { label: 'Token issuer type', value: text(r['tokenIssuerType']) },
          { label: 'Token issuer name', value: text(r['tokenIssuerName']) },
          { label: 'IP address', value: text(r['ipAddress']) },
          { label: 'Latency', value: r['processingTimeInMilliseconds'] == null ? '' : `${text(r['processingTimeInMilliseconds'])} ms` },
        ]}
      />
      <Text as="h3" weight="semibold" className={s.section} block>
        What
      </Text>
      <Fields
        items={[
          { label: 'Application', value: text(r['appDisplayName']) },
          { label: 'Application ID', value: text(r['appId']), copy: text(r['appId']) },
          { label: 'Resource', value: text(r['resourceDisplayName']) },
          { label: 'Resource ID', value: text(r['resourceId']) },
          { label: 'Sign-in error code', value: text(code) },
          { label: 'Failure reason', value: text(at(r, 'status/failureReason')) },
          { label: 'Additional details', value: text(at(r, 'status/additionalDetails')) },
          { label: 'What the code means', value: explained && explained.code !== 0 ? `${explained.name ? `${explained.name}: ` : ''}${explained.meaning}` : '' },
          { label: 'What to do', value: explained?.remediation ?? '' },
        ]}
      />
    </>
  );
}

function LocationTab({ r }: { r: Rec }) {
  return (
    <Fields
      items={[
        { label: 'IP address', value: text(r['ipAddress']) },
        { label: 'Location', value: locationText(r) },
        { label: 'City', value: text(at(r, 'location/city')) },
        { label: 'State', value: text(at(r, 'location/state')) },
        { label: 'Country or region', value: text(at(r, 'location/countryOrRegion')) },
        { label: 'Latitude', value: text(at(r, 'location/geoCoordinates/latitude')) },
        { label: 'Longitude', value: text(at(r, 'location/geoCoordinates/longitude')) },
        { label: 'Autonomous system number', value: text(r['autonomousSystemNumber']) },
        { label: 'IP address (seen by resource)', value: text(r['ipAddressFromResourceProvider']) },
        { label: 'Network location details', value: text(r['networkLocationDetails']) },
        { label: 'Through Global Secure Access', value: text(r['isThroughGlobalSecureAccess']) },
      ]}
    />
  );
}

function DeviceTab({ r }: { r: Rec }) {
  return (
    <Fields
      items={[
        { label: 'Device ID', value: text(at(r, 'deviceDetail/deviceId')) },
        { label: 'Device name', value: text(at(r, 'deviceDetail/displayName')) },
        { label: 'Operating system', value: text(at(r, 'deviceDetail/operatingSystem')) },
        { label: 'Browser', value: text(at(r, 'deviceDetail/browser')) },
        { label: 'Compliant', value: text(at(r, 'deviceDetail/isCompliant')) },
        { label: 'Managed', value: text(at(r, 'deviceDetail/isManaged')) },
        { label: 'Join type', value: text(at(r, 'deviceDetail/trustType')) },
        { label: 'User agent', value: text(r['userAgent']) },
      ]}
    />
  );
}

function AuthTab({ r }: { r: Rec }) {
  const s = useStyles();
  const zone = useTimeZone();
  const policies = (r['authenticationRequirementPolicies'] as Rec[] | null) ?? [];
  const steps = (r['authenticationDetails'] as Rec[] | null) ?? [];
  return (
    <>
      <Text as="h3" weight="semibold" className={s.section} block>
        Authentication policies applied
      </Text>
      {policies.length === 0 ? (
        <Text>None recorded.</Text>
      ) : (
        <table className={s.table}>
          <thead>
            <tr>
              <th>Requirement provider</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {policies.map((p, i) => (
              <tr key={i}>
                <td>{text(p['requirementProvider'])}</td>
                <td>{text(p['detail'])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Text as="h3" weight="semibold" className={s.section} block>
        Authentication steps ({text(r['authenticationRequirement']) || 'requirement not recorded'})
      </Text>
      {steps.length === 0 ? (
        <Text>No authentication steps recorded.</Text>
      ) : (
        <table className={s.table} aria-label="Authentication steps">
          <thead>
            <tr>
              <th>Date</th>
              <th>Authentication method</th>
              <th>Method detail</th>
              <th>Succeeded</th>
              <th>Result detail</th>
              <th>Requirement</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((d, i) => (
              <tr key={i}>
                <td>{formatTime(text(d['authenticationStepDateTime']), zone)}</td>
                <td>{text(d['authenticationMethod'])}</td>
                <td>{text(d['authenticationMethodDetail'])}</td>
                <td>{text(d['succeeded'])}</td>
                <td>{text(d['authenticationStepResultDetail'])}</td>
                <td>{text(d['authenticationStepRequirement'])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const RESULT: Record<string, string> = {
  success: 'Success',
  failure: 'Failure',
  notApplied: 'Not Applied',
  notEnabled: 'Not Enabled',
  unknown: 'Unknown',
  reportOnlySuccess: 'Report-only: Success',
  reportOnlyFailure: 'Report-only: Failure',
  reportOnlyNotApplied: 'Report-only: Not applied',
  reportOnlyInterrupted: 'Report-only: Interrupted',
};

function PoliciesTable({ policies, label }: { policies: readonly Rec[]; label: string }) {
  const s = useStyles();
  if (policies.length === 0) return <Text>No policies.</Text>;
  return (
    <table className={s.table} aria-label={label}>
      <thead>
        <tr>
          <th>Policy name</th>
          <th>Result</th>
          <th>Grant controls</th>
          <th>Session controls</th>
          <th>Conditions satisfied</th>
          <th>Conditions not satisfied</th>
        </tr>
      </thead>
      <tbody>
        {policies.map((p, i) => (
          <tr key={`${text(p['id'])}-${i}`} data-policy={text(p['displayName'])}>
            <td>
              {text(p['displayName'])}
              <br />
              <Text size={200}>{text(p['id'])}</Text>
            </td>
            <td>{RESULT[text(p['result'])] ?? text(p['result'])}</td>
            <td>{text(p['enforcedGrantControls'])}</td>
            <td>{text(p['enforcedSessionControls'])}</td>
            <td>{text(p['conditionsSatisfied'])}</td>
            <td>{text(p['conditionsNotSatisfied'])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaTab({ r, reportOnly }: { r: Rec; reportOnly: boolean }) {
  const all = (r['appliedConditionalAccessPolicies'] as Rec[] | null) ?? [];
  const policies = all.filter((p) => text(p['result']).startsWith('reportOnly') === reportOnly);
  return (
    <>
      {reportOnly ? null : (
        <Fields
          items={[
            { label: 'Conditional Access', value: RESULT[text(r['conditionalAccessStatus'])] ?? text(r['conditionalAccessStatus']) },
            { label: 'Policies', value: String(policies.length) },
          ]}
        />
      )}
      <PoliciesTable policies={policies} label={reportOnly ? 'Report-only policies' : 'Conditional Access policies'} />
    </>
  );
}

function AdditionalTab({ r }: { r: Rec }) {
  const s = useStyles();
  return (
    <>
      <Text>The whole record, as Graph's beta API returns it (times in UTC).</Text>
      <pre className={s.pre} data-testid="raw-record">
        {JSON.stringify(r, null, 2)}
      </pre>
    </>
  );
}

export interface DetailsPaneProps {
  id: string;
  tab: string;
  onTab(tab: string): void;
  onClose(): void;
}

export function DetailsPane(props: DetailsPaneProps) {
  const s = useStyles();
  const [record, setRecord] = useState<Rec | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setRecord(null);
    setError(null);
    apiGet<Rec>(`/beta/auditLogs/signIns/${encodeURIComponent(props.id)}`, undefined, controller.signal)
      .then(setRecord)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof ApiError ? e.message : String(e));
      });
    return () => controller.abort();
  }, [props.id]);
  const tab = DETAIL_TABS.some((t) => t.key === props.tab) ? props.tab : 'basic';
  return (
    <section
      className={s.pane}
      aria-label="Activity details"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) props.onClose();
      }}
    >
      <div className={s.head}>
        <Text as="h2" size={500} weight="semibold" className={s.title}>
          Activity details
        </Text>
        <Button appearance="primary" icon={<WrenchRegular />} onClick={() => navigate(`/ui/diagnose?id=${encodeURIComponent(props.id)}`)}>
          Troubleshoot
        </Button>
        {record?.['correlationId'] ? (
          <Button onClick={() => navigate(`/ui/correlations/${encodeURIComponent(text(record['correlationId']))}`)}>Correlation timeline</Button>
        ) : null}
        <Button appearance="subtle" aria-label="Close details" icon={<DismissRegular />} onClick={props.onClose} />
      </div>
      <TabList selectedValue={tab} onTabSelect={(_, d) => props.onTab(String(d.value))} size="small" className={s.tabs} aria-label="Details">
        {DETAIL_TABS.map((t) => (
          <Tab key={t.key} value={t.key} className={s.tab}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <div className={s.body} role="tabpanel" aria-label={DETAIL_TABS.find((t) => t.key === tab)?.label}>
        {error ? <MessageBar intent="error">{error}</MessageBar> : null}
        {!record && !error ? <Spinner label="Loading the sign-in…" /> : null}
        {record ? (
          tab === 'basic' ? (
            <BasicInfo r={record} />
          ) : tab === 'location' ? (
            <LocationTab r={record} />
          ) : tab === 'device' ? (
            <DeviceTab r={record} />
          ) : tab === 'auth' ? (
            <AuthTab r={record} />
          ) : tab === 'ca' ? (
            <CaTab r={record} reportOnly={false} />
          ) : tab === 'reportOnly' ? (
            <CaTab r={record} reportOnly />
          ) : (
            <AdditionalTab r={record} />
          )
        ) : null}
      </div>
    </section>
  );
}
