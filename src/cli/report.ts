// gatelog report NAME: a report (src/reports/) computed by the store — the same sections the API
// and the web UI show — as tables (each with its definition), JSON, or CSV.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { GatelogError } from '../errors.js';
import { ScopedReader, tenantsScope } from '../query/scoped-reader.js';
import type { AggregateValue } from '../query/sql/aggregate.js';
import type { Column, Report, ReportSection } from '../reports/report.js';
import { parseReportInput } from '../reports/report-input.js';
import { isReportName, REPORT_NAMES, runReport } from '../reports/reports.js';
import { auditedRead } from './audited.js';
import { addStoreOptions, CliError } from './context.js';
import { csvCell, renderTable } from './output.js';

interface ReportFlags extends StoreOptions {
  since?: string;
  until?: string;
  filter?: string;
  policy?: string;
  tenant?: string;
  section?: string;
  output: 'table' | 'json' | 'csv';
}

function cellText(v: AggregateValue | undefined, c: Column): string {
  if (v === null || v === undefined) return '';
  if (c.format === 'percent' && typeof v === 'number') return `${(v * 100).toFixed(1)}%`;
  return String(v);
}

function sectionTable(s: ReportSection): string {
  const head = `${s.title}\n${s.definition}\n`;
  const defs = s.columns.filter((c) => c.definition).map((c) => `  ${c.label}: ${c.definition}`);
  const table = s.rows.length === 0 ? '(no sign-ins)' : renderTable(s.columns.map((c) => c.label), s.rows.map((r) => s.columns.map((c) => cellText(r[c.name], c))));
  return `${head}${defs.length ? `${defs.join('\n')}\n` : ''}\n${table}\n`;
}

function sectionCsv(s: ReportSection): string {
  const lines = [['section', ...s.columns.map((c) => c.name)].map(csvCell).join(',')];
  for (const r of s.rows) lines.push([s.id, ...s.columns.map((c) => r[c.name] ?? null)].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function print(report: Report, output: ReportFlags['output']): void {
  const out = process.stdout;
  if (output === 'json') {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (output === 'csv') {
    out.write(report.sections.map(sectionCsv).join('\r\n'));
    return;
  }
  const range = `${report.since ?? 'the first sign-in'} to ${report.until ?? 'the last'}`;
  out.write(`${report.title} — ${report.signIns.toLocaleString('en-US')} sign-ins, ${range}\n${report.definition}\n\n${report.sections.map(sectionTable).join('\n')}`);
}

export function reportCommand(): Command {
  const cmd = new Command('report')
    .description(`a report computed by the store: ${REPORT_NAMES.join(', ')} (docs/reports.md)`)
    .argument('<name>', `the report: ${REPORT_NAMES.join(', ')}`)
    .addOption(new Option('--since <time>', 'sign-ins at or after this time: ISO 8601 (2026-11-01, 2026-11-01T08:00:00Z) or a span back from now (7d, 24h)'))
    .addOption(new Option('--until <time>', 'sign-ins before this time (same forms as --since)'))
    .addOption(new Option('--filter <filter>', 'Graph $filter (beta), ANDed with the report\'s own selection'))
    .addOption(new Option('--policy <id>', 'conditional-access: the report-only policy whose "if enabled" impact to show'))
    .addOption(new Option('--tenant <id>', 'only what this tenant may read (its log and its users\' sign-ins elsewhere)'))
    .addOption(new Option('--section <id>', 'only this section (its id, as in the JSON output)'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'));
  addStoreOptions(cmd);
  cmd.action(async (name: string, flags: ReportFlags) => {
    if (!isReportName(name)) throw new CliError(`no report named '${name}': the reports are ${REPORT_NAMES.join(', ')}`);
    let input;
    try {
      input = parseReportInput({ since: flags.since, until: flags.until, filter: flags.filter, policy: flags.policy });
    } catch (e) {
      if (e instanceof GatelogError) throw new CliError(e.message.replace(/^Invalid value (.*) for (since|until)/, 'invalid value $1 for --$2'));
      throw e;
    }
    const store = await openStore(flags);
    try {
      const tenants = flags.tenant ? [flags.tenant] : null;
      const reader = new ScopedReader(store, tenantsScope(tenants));
      const report = await auditedRead(store, { action: 'gatelog report', target: name, filter: flags.filter ?? null, tenants }, async () => {
        const r = await runReport(name, reader, input);
        return { result: r, rows: r.signIns };
      });
      if (flags.section !== undefined) {
        const s = report.sections.find((x) => x.id === flags.section);
        if (!s) throw new CliError(`report ${name} has no section '${flags.section}': it has ${report.sections.map((x) => x.id).join(', ')}`);
        report.sections = [s];
      }
      print(report, flags.output);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
