// gatelog audit: who read sign-in data, when, through which credential, what they asked for and
// how many rows they got — newest first.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import type { AuditEntry } from '../store/sign-in-store.js';
import { addStoreOptions, CliError, parsePositiveInt } from './context.js';
import { csvCell, renderTable } from './output.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 date or date-time, or a time before now: 30m, 24h, 7d. */
export function parseSince(name: string, now: () => number = Date.now) {
  return (value: string): string => {
    const rel = /^(\d+)([mhd])$/.exec(value);
    if (rel) return new Date(now() - Number(rel[1]) * (UNITS[rel[2] as string] as number)).toISOString();
    const m = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
    // Times without a zone are UTC, as everywhere in Gatelog.
    const ms = m ? Date.parse(`${m[1]}${m[2] ?? 'T00:00:00'}${m[3] ?? 'Z'}`) : NaN;
    if (!Number.isFinite(ms)) throw new CliError(`${name} must be an ISO 8601 date or time (2026-11-20, 2026-11-20T08:00:00Z) or a time before now (30m, 24h, 7d), got '${value}'`);
    return new Date(ms).toISOString();
  };
}

type AuditOutput = 'table' | 'json' | 'ndjson' | 'csv';

const COLUMNS: readonly { header: string; value: (e: AuditEntry) => string }[] = [
  { header: 'Time (UTC)', value: (e) => e.at },
  { header: 'Actor', value: (e) => e.actor },
  { header: 'Via', value: (e) => e.via },
  { header: 'Tenants', value: (e) => (e.tenants === null ? '*' : e.tenants.join(',')) },
  { header: 'Action', value: (e) => e.action },
  { header: 'Target', value: (e) => e.target ?? '' },
  { header: 'Filter', value: (e) => e.filter ?? '' },
  { header: 'Rows', value: (e) => String(e.rows) },
  { header: 'Status', value: (e) => String(e.status) },
  { header: 'Client', value: (e) => e.client ?? '' },
  { header: 'Request ID', value: (e) => e.requestId ?? '' },
];

export function auditCommand(): Command {
  const cmd = new Command('audit')
    .description('list reads of sign-in data (who, when, credential, tenants, what, rows), newest first')
    .addOption(new Option('--since <time>', 'entries at or after this time: ISO 8601, or 30m, 24h, 7d before now').argParser(parseSince('--since')))
    .addOption(new Option('--until <time>', 'entries before this time: ISO 8601, or 30m, 24h, 7d before now').argParser(parseSince('--until')))
    .addOption(new Option('--actor <actor>', 'entries of this actor only (as the Actor column shows it)'))
    .addOption(new Option('--top <n>', 'at most this many').argParser(parsePositiveInt('--top', 100_000)).default(100))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv']).default('table'));
  addStoreOptions(cmd);
  cmd.action(async (flags: StoreOptions & { since?: string; until?: string; actor?: string; top: number; output: AuditOutput }) => {
    const store = await openStore(flags);
    try {
      const entries = await store.listAudit({
        limit: flags.top,
        ...(flags.since !== undefined ? { since: flags.since } : {}),
        ...(flags.until !== undefined ? { until: flags.until } : {}),
        ...(flags.actor !== undefined ? { actor: flags.actor } : {}),
      });
      const out = process.stdout;
      if (flags.output === 'json') out.write(`${JSON.stringify(entries, null, 2)}\n`);
      else if (flags.output === 'ndjson') for (const e of entries) out.write(`${JSON.stringify(e)}\n`);
      else if (flags.output === 'csv') {
        out.write(`${COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`);
        for (const e of entries) out.write(`${COLUMNS.map((c) => csvCell(c.value(e))).join(',')}\r\n`);
      } else out.write(`${renderTable(COLUMNS.map((c) => c.header), entries.map((e) => COLUMNS.map((c) => c.value(e))))}\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
