// gatelog error-code CODE: what an Entra error code (status/errorCode, AADSTS without the prefix)
// means and what to do; --all lists the whole catalogue.
import { Command, Option } from 'commander';
import { explainErrorCode, listErrorCodes } from '../diagnose/error-codes.js';
import { CliError } from './context.js';
import { renderTable } from './output.js';

export function errorCodeCommand(): Command {
  return new Command('error-code')
    .description('explain an Entra sign-in error code (50126, AADSTS50126), or list them all with --all')
    .argument('[code]', 'the error code')
    .addOption(new Option('--all', 'list every code of the catalogue'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((code: string | undefined, flags: { all?: boolean; output: 'table' | 'json' }) => {
      if (flags.all) {
        const all = listErrorCodes();
        process.stdout.write(flags.output === 'json' ? `${JSON.stringify(all, null, 2)}\n` : `${renderTable(['Code', 'Name', 'Meaning'], all.map((c) => [String(c.code), c.name ?? '', c.meaning]))}\n`);
        return;
      }
      if (code === undefined) throw new CliError('give an error code (for example 50126), or --all');
      const m = /^(?:AADSTS)?(\d{1,9})$/i.exec(code.trim());
      if (!m) throw new CliError(`'${code}' is not an error code: give its number, such as 50126 or AADSTS50126`);
      const x = explainErrorCode(Number(m[1]));
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
      } else {
        const lines = [`${x.code}${x.name ? ` ${x.name}` : ''}`, `Meaning: ${x.meaning}`];
        if (x.remediation) lines.push(`What to do: ${x.remediation}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (!x.known) process.exitCode = 1;
    });
}
