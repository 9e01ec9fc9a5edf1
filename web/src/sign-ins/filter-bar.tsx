// The portal's filter bar: the date range, "Add filters" (every field the portal filters on, and
// report-only result per policy, which the portal cannot), one button per filter in use that
// opens its editor. Everything it sets lives in the address (view-state.ts).
import {
  Button,
  Field,
  Input,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Select,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { useTimeZone, zoneLabel } from '../app/time.js';
import { FILTERS, RANGES, REPORT_ONLY_RESULTS, type FilterDef, type RangeKey, type ViewState } from './view-state.js';

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: '280px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  pill: { borderRadius: tokens.borderRadiusCircular },
});

export interface FilterBarProps {
  state: ViewState;
  onChange(patch: Partial<ViewState>): void;
}

function valueLabel(def: FilterDef, v: string): string {
  if (v === '') return 'None selected';
  return def.choices?.find(([k]) => k === v)?.[1] ?? v;
}

function FilterEditor({ def, value, open, onOpenChange, onApply, onRemove }: { def: FilterDef; value: string; open: boolean; onOpenChange(o: boolean): void; onApply(v: string): void; onRemove(): void }) {
  const s = useStyles();
  const [draft, setDraft] = useState(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft.trim());
  };
  return (
    <Popover open={open} onOpenChange={(_, d) => {
      if (d.open) setDraft(value);
      onOpenChange(d.open);
    }} trapFocus>
      <PopoverTrigger disableButtonEnhancement>
        <Button className={s.pill} size="small" data-filter={def.key} appearance={value === '' ? 'outline' : 'secondary'}>
          {def.label}: {valueLabel(def, value)}
        </Button>
      </PopoverTrigger>
      <PopoverSurface aria-label={`${def.label} filter`}>
        <form className={s.form} onSubmit={submit}>
          <Field label={def.label}>
            {def.choices ? (
              <Select value={draft} onChange={(_, d) => setDraft(d.value)} name={def.key}>
                <option value="">None selected</option>
                {def.choices.map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </Select>
            ) : (
              <Input value={draft} onChange={(_, d) => setDraft(d.value)} placeholder={def.placeholder ?? ''} name={def.key} />
            )}
          </Field>
          <div className={s.actions}>
            <Button type="submit" appearance="primary">
              Apply
            </Button>
            <Button onClick={onRemove}>Remove filter</Button>
          </div>
        </form>
      </PopoverSurface>
    </Popover>
  );
}

function ReportOnlyEditor({ state, open, onOpenChange, onChange }: { state: ViewState; open: boolean; onOpenChange(o: boolean): void; onChange(patch: Partial<ViewState>): void }) {
  const s = useStyles();
  const [result, setResult] = useState(state.roResult || 'reportOnlyFailure');
  const [policy, setPolicy] = useState(state.roPolicy);
  const label = REPORT_ONLY_RESULTS.find(([k]) => k === state.roResult)?.[1] ?? 'None selected';
  return (
    <Popover open={open} onOpenChange={(_, d) => onOpenChange(d.open)} trapFocus>
      <PopoverTrigger disableButtonEnhancement>
        <Button className={s.pill} size="small" data-filter="reportOnly" appearance="secondary">
          Report-only result: {label}
          {state.roPolicy ? ` (${state.roPolicy})` : ''}
        </Button>
      </PopoverTrigger>
      <PopoverSurface aria-label="Report-only result filter">
        <form
          className={s.form}
          onSubmit={(e) => {
            e.preventDefault();
            onChange({ roResult: result, roPolicy: policy.trim() });
            onOpenChange(false);
          }}
        >
          <Field label="Report-only result">
            <Select value={result} onChange={(_, d) => setResult(d.value)} name="roResult">
              {REPORT_ONLY_RESULTS.map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Policy (name or ID; empty: any policy)">
            <Input value={policy} onChange={(_, d) => setPolicy(d.value)} name="roPolicy" />
          </Field>
          <div className={s.actions}>
            <Button type="submit" appearance="primary">
              Apply
            </Button>
            <Button onClick={() => onChange({ roResult: '', roPolicy: '' })}>Remove filter</Button>
          </div>
        </form>
      </PopoverSurface>
    </Popover>
  );
}

/** datetime-local text ↔ ISO: the wall time of the zone in use (the browser's, or UTC). */
function toInput(iso: string, utc: boolean): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (utc) return d.toISOString().slice(0, 16);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromInput(text: string, utc: boolean): string {
  if (!text) return '';
  const d = new Date(utc ? `${text}:00Z` : text);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function FilterBar({ state, onChange }: FilterBarProps) {
  const s = useStyles();
  const zone = useTimeZone();
  const [openKey, setOpenKey] = useState<string | null>(null);
  const active = FILTERS.filter((f) => state.filters[f.key] !== undefined);
  const inactive = FILTERS.filter((f) => state.filters[f.key] === undefined);
  const setFilter = (key: string, v: string | undefined) => {
    const filters = { ...state.filters };
    if (v === undefined) delete filters[key];
    else filters[key] = v;
    onChange({ filters });
  };
  return (
    <div className={s.bar} role="toolbar" aria-label="Filters">
      <Select value={state.range} onChange={(_, d) => onChange({ range: d.value as RangeKey })} name="range" aria-label="Date range" size="small">
        {RANGES.map((r) => (
          <option key={r.key} value={r.key}>
            Date: {r.label}
          </option>
        ))}
      </Select>
      {state.range === 'custom' ? (
        <>
          <Input type="datetime-local" aria-label={`From (${zoneLabel(zone)})`} value={toInput(state.from, zone.utc)} onChange={(_, d) => onChange({ from: fromInput(d.value, zone.utc) })} />
          <Input type="datetime-local" aria-label={`To (${zoneLabel(zone)})`} value={toInput(state.to, zone.utc)} onChange={(_, d) => onChange({ to: fromInput(d.value, zone.utc) })} />
        </>
      ) : null}
      {active.map((def) => (
        <FilterEditor
          key={def.key}
          def={def}
          value={state.filters[def.key] ?? ''}
          open={openKey === def.key}
          onOpenChange={(o) => setOpenKey(o ? def.key : null)}
          onApply={(v) => {
            setFilter(def.key, v);
            setOpenKey(null);
          }}
          onRemove={() => {
            setFilter(def.key, undefined);
            setOpenKey(null);
          }}
        />
      ))}
      {state.roResult || openKey === 'reportOnly' ? (
        <ReportOnlyEditor state={state} open={openKey === 'reportOnly'} onOpenChange={(o) => setOpenKey(o ? 'reportOnly' : null)} onChange={onChange} />
      ) : null}
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button size="small" appearance="primary" icon={<AddRegular />}>
            Add filters
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {inactive.map((f) => (
              <MenuItem
                key={f.key}
                onClick={() => {
                  setFilter(f.key, '');
                  setOpenKey(f.key);
                }}
              >
                {f.label}
              </MenuItem>
            ))}
            {state.roResult ? null : <MenuItem onClick={() => setOpenKey('reportOnly')}>Report-only result (per policy)</MenuItem>}
          </MenuList>
        </MenuPopover>
      </Menu>
      {active.length > 0 || state.roResult ? (
        <Button size="small" appearance="subtle" onClick={() => onChange({ filters: {}, roResult: '', roPolicy: '' })}>
          Reset filters
        </Button>
      ) : null}
    </div>
  );
}
