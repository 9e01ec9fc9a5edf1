// The sign-in list: a grid (role="grid", rows and cells, aria-rowcount) with only the rows in view
// rendered (@tanstack/react-virtual, docs/design/0006), so millions of rows scroll as lightly as a
// hundred. Arrow keys move between rows, Enter opens the details; the Date header sorts.
import { makeStyles, mergeClasses, Spinner, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatTime, useTimeZone } from '../app/time.js';
import type { ColumnDef, ListRow } from './columns.js';

const ROW_HEIGHT = 36;
const PREFETCH_ROWS = 600;

const useStyles = makeStyles({
  grid: { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  header: { display: 'flex', backgroundColor: tokens.colorNeutralBackground3, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, fontWeight: tokens.fontWeightSemibold, flexShrink: 0 },
  scroller: { overflow: 'auto', flexGrow: 1, minHeight: 0, position: 'relative' },
  cell: { flexShrink: 0, padding: `0 ${tokens.spacingHorizontalS}`, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', lineHeight: `${ROW_HEIGHT}px`, boxSizing: 'border-box' },
  row: {
    display: 'flex',
    position: 'absolute',
    left: 0,
    height: `${ROW_HEIGHT}px`,
    cursor: 'pointer',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  sortButton: { border: 'none', backgroundColor: 'transparent', color: 'inherit', font: 'inherit', padding: 0, cursor: 'pointer', ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` } },
  failure: { color: tokens.colorPaletteRedForeground1 },
  interrupted: { color: tokens.colorPaletteDarkOrangeForeground1 },
  footer: { padding: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3 },
});

export interface SignInListProps {
  rows: readonly ListRow[];
  columns: readonly ColumnDef[];
  count: number | null;
  loading: boolean;
  done: boolean;
  order: 'asc' | 'desc';
  selected: string;
  label: string;
  onSort(order: 'asc' | 'desc'): void;
  onOpen(id: string): void;
  onNeedMore(): void;
}

export function SignInList(props: SignInListProps) {
  const s = useStyles();
  const zone = useTimeZone();
  const scroller = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const width = props.columns.reduce((a, c) => a + c.width, 0);
  const virtualizer = useVirtualizer({ count: props.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? (items[items.length - 1]?.index ?? 0) : -1;

  const { rows, done, loading, onNeedMore } = props;
  useEffect(() => {
    // Within 600 rows of the end of what is loaded: ask for the next page, so it is in before the
    // scrolling gets there (a fast scroll passes ~20 rows a frame).
    if (!done && !loading && rows.length > 0 && lastIndex >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [lastIndex, rows.length, done, loading, onNeedMore]);

  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    setFocusIndex(i);
    virtualizer.scrollToIndex(i);
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[aria-rowindex="${i + 2}"]`)?.focus());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(focusIndex + (moves[e.key] ?? 0));
    } else if (e.key === 'Home' && e.ctrlKey) {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'End' && e.ctrlKey) {
      e.preventDefault();
      focusRow(rows.length - 1);
    } else if (e.key === 'Enter' || e.key === ' ') {
      const row = rows[focusIndex];
      if (row) {
        e.preventDefault();
        props.onOpen(row.id);
      }
    }
  };

  const cellText = (c: ColumnDef, row: ListRow): string => (c.key === 'date' ? formatTime(row.createdDateTime, zone) : c.text(row));
  const statusClass = (c: ColumnDef, text: string): string | undefined => (c.key === 'status' ? (text === 'Failure' ? s.failure : text === 'Interrupted' ? s.interrupted : undefined) : undefined);

  return (
    <div className={s.grid} role="grid" aria-label={props.label} aria-rowcount={props.count !== null ? props.count + 1 : done ? rows.length + 1 : -1} aria-colcount={props.columns.length} onKeyDown={onKeyDown}>
      <div ref={scroller} className={s.scroller} data-testid="list-scroller">
        <div role="rowgroup" style={{ position: 'sticky', top: 0, zIndex: 1, width }}>
          <div role="row" aria-rowindex={1} className={s.header}>
            {props.columns.map((c, i) => (
              <div
                key={c.key}
                role="columnheader"
                aria-colindex={i + 1}
                className={s.cell}
                style={{ width: c.width }}
                {...(c.key === 'date' ? { 'aria-sort': props.order === 'desc' ? ('descending' as const) : ('ascending' as const) } : {})}
              >
                {c.key === 'date' ? (
                  <button type="button" className={s.sortButton} onClick={() => props.onSort(props.order === 'desc' ? 'asc' : 'desc')} title="Sort by date">
                    Date {props.order === 'desc' ? '↓' : '↑'}
                  </button>
                ) : (
                  c.label
                )}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', width }}>
          {items.map((item) => {
            const row = rows[item.index] as ListRow;
            const isSelected = row.id === props.selected;
            return (
              <div
                key={row.id + String(item.index)}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                data-id={row.id}
                tabIndex={item.index === focusIndex ? 0 : -1}
                className={mergeClasses(s.row, isSelected && s.selected)}
                style={{ top: item.start, width }}
                onClick={() => {
                  setFocusIndex(item.index);
                  props.onOpen(row.id);
                }}
                onFocus={() => setFocusIndex(item.index)}
              >
                {props.columns.map((c, i) => {
                  const text = cellText(c, row);
                  return (
                    <div key={c.key} role="gridcell" aria-colindex={i + 1} className={mergeClasses(s.cell, statusClass(c, text))} style={{ width: c.width }} data-col={c.key} title={text}>
                      {text}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      <div className={s.footer} aria-live="polite" data-testid="list-status">
        {loading ? <Spinner size="extra-tiny" label="Loading sign-ins…" labelPosition="after" /> : done ? `${rows.length.toLocaleString('en-US')} sign-ins` : `${rows.length.toLocaleString('en-US')} sign-ins loaded; scroll for more`}
      </div>
    </div>
  );
}
