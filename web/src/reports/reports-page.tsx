// The reports pages (/ui/reports/NAME): charts and tables over GET /api/reports/NAME, each number
// with its definition. The time range and the filter live in the address (?since=&filter=).
import { Button, Field, Input, makeStyles, MessageBar, Select, Spinner, Tab, TabList, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { getNextColor, VerticalStackedBarChart, type VerticalStackedChartProps } from '@fluentui/react-charts';
import { useEffect, useMemo, useState } from 'react';
import { apiGet } from '../app/api.js';
import { navigate, useLocation } from '../app/router.js';
import { chartPoints, pickValues, timeLabel, type ChartPoint, type Column, type Report, type ReportSection, type Value } from './report-types.js';

export const REPORT_TABS = [
  { name: 'overview', label: 'Overview' },
  { name: 'auth-methods', label: 'Authentication methods' },
  { name: 'conditional-access', label: 'Conditional Access' },
  { name: 'cross-tenant', label: 'Cross-tenant access' },
] as const;

const RANGES = [
  { value: '', label: 'All sign-ins' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
] as const;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, overflowY: 'auto', minHeight: 0 },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  filter: { minWidth: '420px', flexGrow: 1 },
  section: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  definition: { color: tokens.colorNeutralForeground3 },
  defs: { margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  figures: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
  figure: { display: 'flex', flexDirection: 'column', maxWidth: '220px' },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold },
  table: { maxHeight: '360px', overflow: 'auto' },
  map: { width: '100%', maxWidth: '900px', backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium },
});

function reportName(pathname: string): string {
  const name = pathname.replace(/^\/ui\/reports\/?/, '').split('/')[0] ?? '';
  return REPORT_TABS.some((t) => t.name === name) ? name : 'overview';
}

function formatValue(v: Value | undefined, c: Column): string {
  if (v === null || v === undefined) return '';
  if (c.format === 'percent' && typeof v === 'number') return `${(v * 100).toFixed(1)} %`;
  if (c.format === 'time') return timeLabel(v);
  if (typeof v === 'number' && c.format !== 'text') return v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return String(v);
}

/** Stacked columns from chart points: one column per x, one segment per series. */
function StackedBars({ points, title }: { points: ChartPoint[]; title: string }) {
  const data = useMemo((): VerticalStackedChartProps[] => {
    // One color per series, the same in every column (and in the legend).
    const colors = new Map<string, string>();
    const byX = new Map<string, VerticalStackedChartProps>();
    for (const [x, legend, value] of points) {
      let d = byX.get(x);
      if (!d) byX.set(x, (d = { xAxisPoint: x, chartData: [] }));
      let color = colors.get(legend);
      if (!color) colors.set(legend, (color = getNextColor(colors.size)));
      d.chartData.push({ legend, data: value, color });
    }
    return [...byX.values()];
  }, [points]);
  if (data.length === 0) return <Text className="report-empty">No sign-ins.</Text>;
  return <VerticalStackedBarChart data={data} chartTitle={title} height={280} hideLegend={false} />;
}

/** Points on a plain longitude/latitude plot (no map tiles: Gatelog runs offline). */
function WorldPlot({ section }: { section: ReportSection }) {
  const styles = useStyles();
  const c = section.chart;
  if (c.kind !== 'map') return null;
  const rows = section.rows.filter((r) => typeof r[c.lat] === 'number' && typeof r[c.lon] === 'number');
  const max = Math.max(1, ...rows.map((r) => (typeof r[c.size] === 'number' ? (r[c.size] as number) : 0)));
  const grid = [];
  for (let lon = -180; lon <= 180; lon += 30) grid.push(<line key={`lon${lon}`} x1={lon + 180} y1={0} x2={lon + 180} y2={180} stroke="currentColor" strokeOpacity={0.15} strokeWidth={0.3} />);
  for (let lat = -90; lat <= 90; lat += 30) grid.push(<line key={`lat${lat}`} x1={0} y1={90 - lat} x2={360} y2={90 - lat} stroke="currentColor" strokeOpacity={lat === 0 ? 0.35 : 0.15} strokeWidth={0.3} />);
  return (
    <svg className={styles.map} viewBox="0 0 360 180" role="img" aria-label={section.title} data-map-points={rows.length}>
      {grid}
      {rows.map((r, i) => {
        const size = typeof r[c.size] === 'number' ? (r[c.size] as number) : 0;
        return (
          <circle key={i} className="map-point" cx={(r[c.lon] as number) + 180} cy={90 - (r[c.lat] as number)} r={1 + 5 * Math.sqrt(size / max)} fill={tokens.colorBrandBackground} fillOpacity={0.6}>
            <title>{`${String(r[c.label] ?? '')}${r['countryOrRegion'] ? `, ${String(r['countryOrRegion'])}` : ''}: ${size.toLocaleString('en-US')} sign-ins`}</title>
          </circle>
        );
      })}
    </svg>
  );
}

function SectionView({ section }: { section: ReportSection }) {
  const styles = useStyles();
  const choices = useMemo(() => pickValues(section), [section]);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const points = useMemo(() => chartPoints(section, picked), [section, picked]);
  const c = section.chart;
  const defined = section.columns.filter((x) => x.definition);
  return (
    <section className={styles.section} data-section={section.id} data-chart-kind={c.kind} data-chart-points={JSON.stringify(points)}>
      <Text as="h3" weight="semibold" size={400}>
        {section.title}
      </Text>
      <Text className={styles.definition} size={200}>
        {section.definition}
      </Text>
      {choices.length > 1 && c.kind === 'timeBars' && c.pick ? (
        <Field label={section.columns.find((x) => x.name === c.pick)?.label ?? c.pick}>
          <Select value={picked ?? choices[0]} onChange={(_, d) => setPicked(d.value)} data-pick={c.pick}>
            {choices.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <div className="report-chart">
        {c.kind === 'timeBars' || c.kind === 'bars' ? <StackedBars points={points} title={section.title} /> : null}
        {c.kind === 'map' ? <WorldPlot section={section} /> : null}
        {c.kind === 'figures' ? (
          <div className={styles.figures}>
            {c.measures.map((m) => {
              const col = section.columns.find((x) => x.name === m) ?? { name: m, label: m };
              return (
                <div key={m} className={styles.figure} data-figure={m}>
                  <span className={styles.big}>{formatValue(section.rows[0]?.[m], col)}</span>
                  <Text weight="semibold">{col.label}</Text>
                  {col.definition ? <Text size={200} className={styles.definition}>{col.definition}</Text> : null}
                </div>
              );
            })}
          </div>
        ) : null}
      </div>
      {c.kind !== 'figures' ? (
        <div className={styles.table}>
          <Table size="small" aria-label={section.title}>
            <TableHeader>
              <TableRow>
                {section.columns.map((col) => (
                  <TableHeaderCell key={col.name} title={col.definition ?? ''}>
                    {col.label}
                  </TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {section.rows.map((r, i) => (
                <TableRow key={i} data-row={i}>
                  {section.columns.map((col) => (
                    <TableCell key={col.name} data-column={col.name}>
                      {formatValue(r[col.name], col)}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {defined.length > 0 ? (
        <dl className={styles.defs}>
          {defined.map((col) => [<dt key={`t${col.name}`}>{col.label}</dt>, <dd key={`d${col.name}`} style={{ margin: 0 }}>{col.definition}</dd>])}
        </dl>
      ) : null}
    </section>
  );
}

export function ReportsPage() {
  const styles = useStyles();
  const { pathname, search } = useLocation();
  const name = reportName(pathname);
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const since = params.get('since') ?? '';
  const filter = params.get('filter') ?? '';
  const [draft, setDraft] = useState(filter);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => setDraft(filter), [filter]);
  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    apiGet<Report>(`/api/reports/${name}`, { since, filter }, ctrl.signal)
      .then((r) => {
        setReport(r);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setReport(null);
        setLoading(false);
      });
    return () => ctrl.abort();
  }, [name, since, filter]);

  const go = (next: { name?: string; since?: string; filter?: string }) => {
    const q = new URLSearchParams();
    const s = next.since ?? since;
    const f = next.filter ?? filter;
    if (s) q.set('since', s);
    if (f) q.set('filter', f);
    const qs = q.toString();
    navigate(`/ui/reports/${next.name ?? name}${qs ? `?${qs}` : ''}`);
  };

  return (
    <div className={styles.page} data-report={name} data-loaded={!loading && report ? 'true' : 'false'}>
      <TabList selectedValue={name} onTabSelect={(_, d) => go({ name: String(d.value) })}>
        {REPORT_TABS.map((t) => (
          <Tab key={t.name} value={t.name}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <div className={styles.toolbar}>
        <Field label="Time range">
          <Select value={since} onChange={(_, d) => go({ since: d.value })}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Filter (Graph $filter)" className={styles.filter}>
          <Input value={draft} placeholder="e.g. appDisplayName eq 'Outlook'" onChange={(_, d) => setDraft(d.value)} onKeyDown={(e) => e.key === 'Enter' && go({ filter: draft })} />
        </Field>
        <Button onClick={() => go({ filter: draft })}>Apply</Button>
      </div>
      {loading ? <Spinner label="Counting…" labelPosition="after" size="tiny" /> : null}
      {error ? <MessageBar intent="error">{error}</MessageBar> : null}
      {report ? (
        <>
          <div>
            <Text as="h2" size={600} weight="semibold">
              {report.title}
            </Text>
            <br />
            <Text data-sign-ins={report.signIns}>{report.signIns.toLocaleString('en-US')} sign-ins counted. </Text>
            <Text className={styles.definition}>{report.definition}</Text>
          </div>
          {report.sections.map((s) => (
            <SectionView key={s.id} section={s} />
          ))}
        </>
      ) : null}
    </div>
  );
}
