// gatelog rejects: the records that could not be taken, with where and why.
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { formatPlace } from '../normalize/reject.js';
import { addStoreOptions, parsePositiveInt } from './context.js';

export function rejectsCommand(): Command {
  const cmd = new Command('rejects')
    .description('list rejected records as file:line reason')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt('--limit')).default(1000))
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'));
  addStoreOptions(cmd);
  cmd.action(async (flags: StoreOptions & { limit: number; output: 'text' | 'json' }) => {
    const store = await openStore(flags);
    try {
      const rejects = await store.listRejects({ limit: flags.limit });
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify(rejects, null, 2)}\n`);
        return;
      }
      for (const r of rejects) process.stdout.write(`${formatPlace(r)} ${r.reason}\n`);
      const total = await store.countRejects();
      if (total > rejects.length) process.stderr.write(`(${rejects.length} of ${total} shown; raise --limit for more)\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
