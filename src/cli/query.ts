// gatelog query: sign-ins of every event type, newest first.
import { Command, Option } from 'commander';
import { openStore } from '../compose.js';
import { toOriginal } from '../model/render.js';
import { inTenants, TRUE } from '../query/sql/expr.js';
import { addDataOption, parsePositiveInt } from './context.js';
import { csvCell, LIST_COLUMNS, OUTPUTS, renderTable, type OutputFormat } from './output.js';

export function queryCommand(): Command {
  const cmd = new Command('query')
    .description('list sign-ins of all event types, newest first')
    .addOption(new Option('--top <n>', 'how many').argParser(parsePositiveInt('--top', 1_000_000)).default(50))
    .addOption(new Option('--tenant <id>', 'only this log tenant'))
    .addOption(new Option('--output <format>', 'output format').choices([...OUTPUTS]).default('table'));
  addDataOption(cmd);
  cmd.action(async (flags: { data?: string; top: number; tenant?: string; output: OutputFormat }) => {
    const store = await openStore({ data: flags.data });
    try {
      const rows = await store.query({ where: flags.tenant ? inTenants([flags.tenant]) : TRUE, order: 'desc', limit: flags.top });
      const out = process.stdout;
      switch (flags.output) {
        case 'json':
          out.write(`${JSON.stringify(rows.map((r) => toOriginal(r.record, r.extra)), null, 2)}\n`);
          break;
        case 'ndjson':
          for (const r of rows) out.write(`${JSON.stringify(toOriginal(r.record, r.extra))}\n`);
          break;
        case 'csv':
          out.write(`${LIST_COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`);
          for (const r of rows) out.write(`${LIST_COLUMNS.map((c) => csvCell(c.value(r.record))).join(',')}\r\n`);
          break;
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
