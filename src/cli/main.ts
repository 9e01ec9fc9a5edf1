// The gatelog command: one subcommand a file in this folder.
import { Command, CommanderError } from 'commander';
import { reportError, EXIT_USER_ERROR, CliError } from './context.js';
import { demoCommand } from './demo.js';
import { diagnoseCommand } from './diagnose.js';
import { errorCodeCommand } from './error-code.js';
import { auditCommand } from './audit.js';
import { exportCommand } from './export.js';
import { getCommand } from './get.js';
import { importCommand } from './import.js';
import { keysCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { queryCommand } from './query.js';
import { rejectsCommand } from './rejects.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';

export function buildProgram(): Command {
  const program = new Command('gatelog')
    .description('Gatelog: a self-hosted store for Microsoft Entra ID sign-in logs, with a Graph-compatible API, a web UI and this CLI')
    .version(process.env['npm_package_version'] ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  for (const cmd of [importCommand(), rejectsCommand(), getCommand(), queryCommand(), exportCommand(), demoCommand(), serveCommand(), migrateCommand(), keysCommand(), auditCommand(), diagnoseCommand(), errorCodeCommand(), reportCommand()]) program.addCommand(cmd);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end here with code 0; usage errors were printed by commander.
      return e.exitCode === 0 ? 0 : EXIT_USER_ERROR;
    }
    if (e instanceof CliError) return reportError(e);
    return reportError(e);
  }
}
