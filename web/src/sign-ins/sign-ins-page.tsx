// The sign-in logs page: the four tabs of event types, the filter bar, the list (or, in the
// non-interactive tab, the aggregate view behind its switch), the column chooser, the download,
// and the details pane of the selected sign-in. The whole view lives in the address.
import {
  Button,
  Checkbox,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Select,
  Spinner,
  Switch,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ColumnTripleEditRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { navigate, useLocation } from '../app/router.js';
import { COLUMNS, columnsOf, DEFAULT_COLUMNS } from './columns.js';
import { FilterBar } from './filter-bar.js';
import { SignInList } from './sign-in-list.js';
import { prefetchFirstPage, useSignInPages } from './use-sign-in-pages.js';
import { buildFilter, eventTypeOf, readViewState, TABS, writeViewState, type TabKey, type ViewState } from './view-state.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, height: '100%', minHeight: 0 },
  toolbar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  main: { display: 'flex', gap: tokens.spacingHorizontalM, flexGrow: 1, minHeight: 0 },
  list: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0, minHeight: 0 },
  details: { width: '64%', minWidth: '480px', flexShrink: 0, borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, paddingLeft: tokens.spacingHorizontalM, minHeight: 0 },
  chooser: { display: 'grid', gridTemplateColumns: '1fr 1fr', maxHeight: '60vh', overflow: 'auto' },
  filterText: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, wordBreak: 'break-all' },
});

// Loaded when first shown: the list's own script stays small (time to the first rows).
const DetailsPane = lazy(() => import('./details/details-pane.js').then((m) => ({ default: m.DetailsPane })));
const NonInteractiveAggregate = lazy(() => import('../reports/non-interactive-aggregate.js').then((m) => ({ default: m.NonInteractiveAggregate })));

/** Parameters that change what the list holds (not the selection, the columns or the zone). */
function listKey(s: ViewState): string {
  return JSON.stringify([s.tab, s.range, s.from, s.to, s.filters, s.roResult, s.roPolicy, s.order]);
}

let startFilter: { key: string; filter: string } | null = null;

function takeStartFilter(key: string): string | null {
  const f = startFilter;
  startFilter = null;
  return f && f.key === key ? f.filter : null;
}

/** When the app opens on the sign-in list: asks for its first page before React renders. */
export function startSignInsPage(search: string): void {
  const state = readViewState(search);
  const filter = buildFilter(state, new Date());
  startFilter = { key: listKey(state), filter };
  if (!(state.tab === 'noninteractive' && state.aggregate)) prefetchFirstPage(filter, eventTypeOf(state.tab), state.order);
}

export function SignInsPage() {
  const s = useStyles();
  const loc = useLocation();
  const state = useMemo(() => readViewState(loc.search), [loc.search]);
  const key = listKey(state);
  // Presets count back from when the view was set, so every page of one listing has one filter
  // (the first time, from when main.tsx asked for the first page).
  const filter = useMemo(() => takeStartFilter(key) ?? buildFilter(state, new Date()), [key]);
  const eventType = eventTypeOf(state.tab);
  const pages = useSignInPages(filter, eventType, state.order);
  const columnKeys = state.columns ?? [...DEFAULT_COLUMNS[state.tab]];
  const columns = columnsOf(columnKeys);

  const update = useCallback(
    (patch: Partial<ViewState>) => {
      const next = { ...readViewState(window.location.search), ...patch };
      navigate(`${window.location.pathname}${writeViewState(next)}`);
    },
    [],
  );

  const download = (format: 'csv' | 'json') => {
    const p = new URLSearchParams({ format, eventTypes: eventType, orderby: `createdDateTime ${state.order}` });
    if (filter) p.set('filter', filter);
    const a = document.createElement('a');
    a.href = `/api/signins/export?${p.toString()}`;
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  const showAggregate = state.tab === 'noninteractive' && state.aggregate;
  return (
    <div className={s.page}>
      <div className={s.toolbar}>
        <Text as="h1" size={600} weight="semibold" className={s.grow}>
          Sign-in logs
        </Text>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button icon={<ArrowDownloadRegular />}>Download</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => download('csv')}>Download CSV</MenuItem>
              <MenuItem onClick={() => download('json')}>Download JSON</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Popover trapFocus>
          <PopoverTrigger disableButtonEnhancement>
            <Button icon={<ColumnTripleEditRegular />}>Columns</Button>
          </PopoverTrigger>
          <PopoverSurface aria-label="Columns">
            <div className={s.chooser}>
              {COLUMNS.map((c) => (
                <Checkbox
                  key={c.key}
                  label={c.label}
                  checked={columnKeys.includes(c.key)}
                  onChange={(_, d) => {
                    const next = d.checked ? COLUMNS.map((x) => x.key).filter((k) => k === c.key || columnKeys.includes(k)) : columnKeys.filter((k) => k !== c.key);
                    update({ columns: next });
                  }}
                />
              ))}
            </div>
            <Button onClick={() => update({ columns: null })}>Reset to the defaults</Button>
          </PopoverSurface>
        </Popover>
      </div>
      <TabList selectedValue={state.tab} onTabSelect={(_, d) => update({ tab: d.value as TabKey, selected: '', columns: null })} aria-label="Sign-in event types">
        {TABS.map((t) => (
          <Tab key={t.key} value={t.key}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <FilterBar state={state} onChange={update} />
      <div className={s.toolbar}>
        <Text aria-live="polite" data-testid="count">
          {pages.count !== null ? `${pages.count.toLocaleString('en-US')} sign-ins match` : 'Counting…'}
        </Text>
        {state.tab === 'noninteractive' ? (
          <>
            <Switch label="Aggregate" checked={state.aggregate} onChange={(_, d) => update({ aggregate: d.checked })} />
            {state.aggregate ? (
              <Select size="small" aria-label="Aggregation window" value={state.window} onChange={(_, d) => update({ window: d.value as ViewState['window'] })}>
                <option value="1h">Window: 1 hour</option>
                <option value="6h">Window: 6 hours</option>
                <option value="24h">Window: 24 hours</option>
              </Select>
            ) : null}
          </>
        ) : null}
        <span className={s.grow} />
        <span className={s.filterText} title="The Graph $filter of this view (beta), without the event type">
          $filter: <code data-testid="graph-filter">{filter}</code>
        </span>
      </div>
      {pages.error ? <MessageBar intent="error">{pages.error}</MessageBar> : null}
      <div className={s.main}>
        <div className={s.list}>
          {showAggregate ? (
            <Suspense fallback={<Spinner label="Loading…" />}>
              <NonInteractiveAggregate filter={filter} window={state.window} />
            </Suspense>
          ) : (
            <SignInList
              rows={pages.rows}
              columns={columns}
              count={pages.count}
              loading={pages.loading}
              done={pages.done}
              order={state.order}
              selected={state.selected}
              label={TABS.find((t) => t.key === state.tab)?.label ?? 'Sign-ins'}
              onSort={(order) => update({ order })}
              onOpen={(id) => update({ selected: id })}
              onNeedMore={pages.loadMore}
            />
          )}
        </div>
        {state.selected ? (
          <div className={s.details}>
            <Suspense fallback={<Spinner label="Loading…" />}>
              <DetailsPane id={state.selected} tab={state.detailsTab} onTab={(t) => update({ detailsTab: t })} onClose={() => update({ selected: '', detailsTab: 'basic' })} />
            </Suspense>
          </div>
        ) : null}
      </div>
    </div>
  );
}
