import { parseArgs } from 'node:util';
import { isFixpathError } from '../errors.ts';
import { chatCommand } from './chat-command.ts';
import { type CliIo, write } from './cli-io.ts';
import { graphCommand } from './graph-command.ts';
import { outboxCommand } from './outbox-command.ts';
import { replayCommand } from './replay-command.ts';
import { serveCommand } from './serve-command.ts';
import { testCommand } from './test-command.ts';
import { validateCommand } from './validate-command.ts';

const USAGE = `fixpath: troubleshooting guides as chat conversations

Usage:
  fixpath validate [paths…]                 check guide files (default: flows/)
  fixpath chat <guide-id|file>              walk a guide in the terminal
  fixpath replay <guide-id|file> --events <file|->
                                            run scripted events, print the result as JSON
  fixpath graph <guide-id|file>             print the guide as a Mermaid state diagram
  fixpath test [paths…]                     run guide test files (default: flows/*.test.yaml)
  fixpath serve                             run the server (Slack, and more), configured by environment
  fixpath outbox list [pending|delivered|dead]   the escalation outbox, oldest first
  fixpath outbox retry <id>…                send dead-lettered tickets again

Options:
  --flows <dir>   where guide ids are looked up (default: flows)
  -h, --help      show this help
`;

const COMMANDS = {
  validate: validateCommand,
  chat: chatCommand,
  replay: replayCommand,
  graph: graphCommand,
  test: testCommand,
  serve: serveCommand,
  outbox: outboxCommand,
};

/** Runs one CLI command and returns the exit code: 0 fine, 1 checks failed, 2 bad usage or input. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    write(io.stderr, `fixpath: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [name, ...positionals] = parsed.positionals;
  if (parsed.values.help || name === undefined || name === 'help') {
    write(name === undefined && !parsed.values.help ? io.stderr : io.stdout, USAGE);
    return name === undefined && !parsed.values.help ? 2 : 0;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) {
    write(io.stderr, `fixpath: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command({ positionals, events: parsed.values.events, flowsDir: parsed.values.flows }, io);
  } catch (err) {
    if (isFixpathError(err)) {
      write(io.stderr, `fixpath ${name}: ${err.message}`);
      return err.code === 'flow_invalid' || err.code === 'config_invalid' ? 1 : 2;
    }
    write(
      io.stderr,
      `fixpath ${name}: unexpected error: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
}

export interface CommandArgs {
  positionals: string[];
  events: string | undefined;
  flowsDir: string | undefined;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: 'string' },
      flows: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
