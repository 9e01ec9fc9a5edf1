// The app shell: the header (name, the signed-in caller, the time zone in use with its UTC switch,
// the theme switch), the navigation (Sign-in logs, Diagnose, Reports) and the page of the address.
import { Button, FluentProvider, makeStyles, mergeClasses, Spinner, Switch, Text, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useMemo, useState, type MouseEvent } from 'react';
import { SignInsPage } from '../sign-ins/sign-ins-page.js';
import { navigate, useLocation } from './router.js';
import { TimeZoneContext, viewerZone, zoneLabel, type TimeZoneChoice } from './time.js';

const useStyles = makeStyles({
  root: { height: '100vh', display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, backgroundColor: tokens.colorBrandBackground, color: tokens.colorNeutralForegroundOnBrand, flexShrink: 0 },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase500 },
  nav: { display: 'flex', gap: tokens.spacingHorizontalXS, flexGrow: 1 },
  link: { color: tokens.colorNeutralForegroundOnBrand, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, borderRadius: tokens.borderRadiusMedium, textDecorationLine: 'none', ':hover': { backgroundColor: tokens.colorBrandBackgroundHover }, ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}` } },
  current: { backgroundColor: tokens.colorBrandBackgroundPressed },
  onBrand: { color: tokens.colorNeutralForegroundOnBrand, '& label': { color: tokens.colorNeutralForegroundOnBrand } },
  main: { flexGrow: 1, minHeight: 0, padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column' },
});

const NAV: readonly { href: string; label: string; match(path: string): boolean }[] = [
  { href: '/', label: 'Sign-in logs', match: (p) => p === '/' || p.startsWith('/ui/sign-ins') || p.startsWith('/ui/correlations') },
  { href: '/ui/diagnose', label: 'Diagnose', match: (p) => p.startsWith('/ui/diagnose') },
  { href: '/ui/reports/', label: 'Reports', match: (p) => p.startsWith('/ui/reports') },
];

function callerName(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="gatelog-caller"]')?.content ?? '';
}

function initialDark(): boolean {
  const saved = window.localStorage.getItem('gatelog-theme');
  if (saved) return saved === 'dark';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

// The other pages load when first opened, so the sign-in list's script stays small.
const CorrelationPage = lazy(() => import('../correlations/correlation-page.js').then((m) => ({ default: m.CorrelationPage })));
const DiagnosePage = lazy(() => import('../diagnose/diagnose-page.js').then((m) => ({ default: m.DiagnosePage })));
const ReportsPage = lazy(() => import('../reports/reports-page.js').then((m) => ({ default: m.ReportsPage })));

/** The sign-in list's addresses. */
export function isSignInsPath(pathname: string): boolean {
  return pathname === '/' || pathname.startsWith('/ui/sign-ins');
}

function Page({ pathname }: { pathname: string }) {
  if (pathname.startsWith('/ui/diagnose')) return <DiagnosePage />;
  if (pathname.startsWith('/ui/reports')) return <ReportsPage />;
  if (pathname.startsWith('/ui/correlations')) return <CorrelationPage id={decodeURIComponent(pathname.slice('/ui/correlations'.length).replace(/^\/+/, ''))} />;
  return <SignInsPage />;
}

export function Shell() {
  const s = useStyles();
  const loc = useLocation();
  const [dark, setDark] = useState(initialDark);
  useEffect(() => {
    document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  }, [dark]);
  const utc = new URLSearchParams(loc.search).get('utc') === '1';
  const zone = useMemo<TimeZoneChoice>(() => ({ zone: viewerZone(), utc }), [utc]);
  const go = (e: MouseEvent<HTMLAnchorElement>, href: string) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(href);
  };
  const setUtc = (on: boolean) => {
    const p = new URLSearchParams(window.location.search);
    if (on) p.set('utc', '1');
    else p.delete('utc');
    const q = p.toString();
    navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, true);
  };
  const name = callerName();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <TimeZoneContext.Provider value={zone}>
        <div className={s.root}>
          <header className={s.header}>
            <span className={s.brand}>Gatelog</span>
            <nav className={s.nav} aria-label="Main">
              {NAV.map((n) => (
                <a key={n.href} href={n.href} className={mergeClasses(s.link, n.match(loc.pathname) && s.current)} aria-current={n.match(loc.pathname) ? 'page' : undefined} onClick={(e) => go(e, n.href)}>
                  {n.label}
                </a>
              ))}
            </nav>
            <Text className={s.onBrand} data-testid="zone">
              Times in {zoneLabel(zone)}
            </Text>
            <Switch className={s.onBrand} label="UTC" checked={utc} onChange={(_, d) => setUtc(d.checked)} />
            <Switch
              className={s.onBrand}
              label="Dark theme"
              checked={dark}
              onChange={(_, d) => {
                setDark(d.checked);
                window.localStorage.setItem('gatelog-theme', d.checked ? 'dark' : 'light');
              }}
            />
            {name ? <Text className={s.onBrand}>{name}</Text> : null}
            <Button
              appearance="transparent"
              className={s.onBrand}
              onClick={() => {
                const m = /(?:^|;\s*)gatelog_csrf=([^;]*)/.exec(document.cookie);
                void fetch('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': m ? decodeURIComponent(m[1] ?? '') : '' } }).then(() => window.location.assign('/'));
              }}
            >
              Sign out
            </Button>
          </header>
          <main className={s.main}>
            <Suspense fallback={<Spinner label="Loading…" />}>
              <Page pathname={loc.pathname} />
            </Suspense>
          </main>
        </div>
      </TimeZoneContext.Provider>
    </FluentProvider>
  );
}
