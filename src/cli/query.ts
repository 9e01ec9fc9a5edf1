// gatelog query: sign-ins of every event type (unless the filter names some), newest first, with
// the same $filter engine as the Graph API.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { auditedRead, type CliRead } from './audited.js';
import { eventForJson, readCorrelation, storeReader } from '../export/correlation.js';
import { toGraph, toOriginal } from '../model/render.js';
import { planFilter } from '../query/plan.js';
import { and, inTenants, TRUE, type Condition } from '../query/sql/expr.js';
import type { SignInStore } from '../store/sign-in-store.js';
import { versionFields } from '../query/plan.js';
import { addStoreOptions, CliError, parsePositiveInt } from './context.js';
import { csvCell, LIST_COLUMNS, OUTPUTS, renderTable, type OutputFormat } from './output.js';

interface QueryFlags extends StoreOptions {
  filter?: string;
  top: number;
  tenant?: string;
  select?: string;
  orderby: string;
  output: OutputFormat;
  correlation?: string;
}

/**
 * gatelog query --correlation ID: every line item with that correlation ID (all event types,
 * oldest first) and their raw events; table output lists the line items, then the raw rows.
 */
async function printCorrelation(store: SignInStore, correlationId: string, where: Condition, output: OutputFormat, read: CliRead): Promise<void> {
  const view = await auditedRead(store, { ...read, target: correlationId }, async () => {
    const v = await readCorrelation(storeReader(store), correlationId, where);
    return { result: v, rows: v.signIns.length + v.events.length };
  });
  if (view.signIns.length === 0) throw new CliError(`no sign-in with correlation ID '${correlationId}'`);
  const out = process.stdout;
  if (output === 'json' || output === 'ndjson') {
    const body = { correlationId, signIns: view.signIns.map((s) => toOriginal(s.record, s.extra)), events: view.events.map(eventForJson) };
    out.write(`${output === 'json' ? JSON.stringify(body, null, 2) : JSON.stringify(body)}\n`);
    return;
  }
  const items = renderTable(LIST_COLUMNS.map((c) => c.header), view.signIns.map((r) => LIST_COLUMNS.map((c) => c.value(r.record))));
  const events = renderTable(
    ['Observed (UTC)', 'Received (UTC)', 'Request ID', 'Format', 'Source', 'Partial'],
    view.events.map((e) => [e.observedAt ?? '', e.receivedAt, e.signInId, e.format, e.source === undefined ? '' : e.line === undefined ? e.source : `${e.source}:${e.line}`, (e.partial ?? []).join(',')]),
  );
  out.write(`Correlation ID ${correlationId}: ${view.signIns.length} sign-in${view.signIns.length === 1 ? '' : 's'}, ${view.events.length} raw event${view.events.length === 1 ? '' : 's'}\n\n${items}\n\nRaw events\n${events}\n`);
}

function parseOrder(text: string): 'asc' | 'desc' {
  const m = /^\s*createdDateTime(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!m) throw new CliError(`--orderby must be 'createdDateTime asc' or 'createdDateTime desc', got '${text}'`);
  return (m[1]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc';
}

function parseSelect(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const fields = versionFields('beta');
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const f = fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!f) throw new CliError(`--select: property '${name}' does not exist on signIn`);
      return f.name;
    });
}

export function queryCommand(): Command {
  const cmd = new Command('query')
    .description('list sign-ins of all event types (unless the filter names signInEventTypes), newest first')
    .addOption(new Option('--filter <filter>', "Graph $filter, e.g. \"status/errorCode ne 0 and createdDateTime ge 2026-11-01\" (see docs/api.md)"))
    .addOption(new Option('--top <n>', 'how many').argParser(parsePositiveInt('--top', 10_000_000)).default(50))
    .addOption(new Option('--select <props>', 'comma-separated properties (json, ndjson and csv output)'))
    .addOption(new Option('--orderby <order>', 'createdDateTime desc|asc').default('createdDateTime desc'))
    .addOption(new Option('--tenant <id>', 'only this log tenant'))
    .addOption(new Option('--output <format>', 'output format').choices([...OUTPUTS]).default('table'))
    .addOption(new Option('--correlation <id>', 'every sign-in with this correlation ID (all event types, oldest first) and their raw events (table, json or ndjson output)'));
  addStoreOptions(cmd);
  cmd.action(async (flags: QueryFlags) => {
    if (flags.correlation !== undefined) {
      const given = ['top', 'select', 'orderby'].filter((o) => cmd.getOptionValueSource(o) === 'cli');
      if (given.length > 0) throw new CliError(`--correlation lists every sign-in of the correlation, oldest first: ${given.map((o) => `--${o}`).join(', ')} do not apply`);
      if (flags.output === 'csv') throw new CliError('--correlation prints sign-ins and raw events: use --output table, json or ndjson');
    }
    const order = parseOrder(flags.orderby);
    const select = parseSelect(flags.select);
    const planned = flags.filter !== undefined && flags.filter.trim() !== '' ? planFilter(flags.filter, 'beta') : null;
    const store = await openStore(flags);
    try {
      const where = and(flags.tenant ? inTenants([flags.tenant]) : TRUE, planned?.condition ?? TRUE);
      const read: CliRead = { action: 'gatelog query', filter: flags.filter ?? null, tenants: flags.tenant ? [flags.tenant] : null };
      if (flags.correlation !== undefined) return await printCorrelation(store, flags.correlation, where, flags.output, read);
      const rows = await auditedRead(store, read, async () => {
        const r = await store.query({ where, order, limit: flags.top, ...(select ? { select } : {}) });
        return { result: r, rows: r.length };
      });
      const out = process.stdout;
      const shape = (r: (typeof rows)[number]): Record<string, unknown> => {
        if (!select) return toOriginal(r.record, r.extra);
        const g = toGraph(r.record, r.extra, 'beta');
        return Object.fromEntries(select.map((s) => [s, g[s] ?? null]));
      };
      switch (flags.output) {
        case 'json':
          out.write(`${JSON.stringify(rows.map(shape), null, 2)}\n`);
          break;
        case 'ndjson':
          for (const r of rows) out.write(`${JSON.stringify(shape(r))}\n`);
          break;
        case 'csv': {
          if (select) {
            out.write(`${select.map(csvCell).join(',')}\r\n`);
            for (const r of rows) {
              const o = shape(r);
              out.write(`${select.map((s) => csvCell(o[s])).join(',')}\r\n`);
            }
          } else {
            out.write(`${LIST_COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`);
            for (const r of rows) out.write(`${LIST_COLUMNS.map((c) => csvCell(c.value(r.record))).join(',')}\r\n`);
          }
          break;
        }
        case 'table':
          out.write(`${renderTable(LIST_COLUMNS.map((c) => c.header), rows.map((r) => LIST_COLUMNS.map((c) => c.value(r.record))))}\n`);
          break;
      }
    } finally {
      await store.close();
    }
  });
  return cmd;
}
