import { loadConfig } from '../config.ts';
import { startFixpath } from '../main.ts';
import type { CliIo } from './cli-io.ts';
import type { CommandArgs } from './main.ts';

/** `fixpath serve`: the server, configured from the environment, until SIGTERM or Ctrl-C. */
export async function serveCommand(
  _args: CommandArgs,
  _io: CliIo,
  env: Record<string, string | undefined> = process.env,
) {
  const fixpath = await startFixpath(loadConfig(env));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  fixpath.logger.info('shutting down');
  await fixpath.stop();
  return 0;
}
