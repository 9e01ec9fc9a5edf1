// gatelog get: one sign-in, as it was received.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { auditedRead } from './audited.js';
import { toGraph, toOriginal } from '../model/render.js';
import { addStoreOptions, CliError } from './context.js';

export function getCommand(): Command {
  const cmd = new Command('get')
    .description('show one sign-in by its id (the request ID)')
    .argument('<id>', 'sign-in id')
    .addOption(new Option('--tenant <id>', 'only in this log tenant'))
    .addOption(
      new Option('--as <form>', 'received: exactly as imported (unknown properties and original values in place); beta or v1.0: as the Graph API returns it')
        .choices(['received', 'beta', 'v1.0'])
        .default('received'),
    )
    .addOption(new Option('--output <format>', 'output format').choices(['json']).default('json'));
  addStoreOptions(cmd);
  cmd.action(async (id: string, flags: StoreOptions & { tenant?: string; as: 'received' | 'beta' | 'v1.0' }) => {
    const store = await openStore(flags);
    try {
      const tenants = flags.tenant ? [flags.tenant] : undefined;
      const found = await auditedRead(store, { action: 'gatelog get', target: id, tenants: tenants ?? null }, async () => {
        const f = await store.get(id, tenants);
        return { result: f, rows: f ? 1 : 0 };
      });
      if (!found) throw new CliError(`no sign-in with id '${id}'${flags.tenant ? ` in tenant ${flags.tenant}` : ''}`);
      const out = flags.as === 'received' ? toOriginal(found.record, found.extra) : toGraph(found.record, found.extra, flags.as);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
