import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.ts';
import { type Fixpath, startFixpath } from '../../src/main.ts';
import { FLOWS_DIR } from './guides.ts';

/** A folder of its own for one server: its configuration file and its tickets folder. */
export interface ServerFolder {
  /** The configuration file, for FIXPATH_CONFIG. */
  configFile: string;
  /** The file sink's folder, for FIXPATH_TICKETS_DIR (created by the sink on its first ticket). */
  ticketsDir: string;
  /** The Markdown tickets written so far, by file name, sorted. */
  ticketFiles(): string[];
  remove(): void;
}

/**
 * A temporary folder holding `yaml` as `fixpath.config.yaml` and a tickets folder beside it, so a test
 * never reads a configuration file lying in the working folder.
 */
export function serverFolder(yaml = '# nothing configured\n'): ServerFolder {
  const folder = mkdtempSync(join(tmpdir(), 'fixpath-server-tickets-'));
  const configFile = join(folder, 'fixpath.config.yaml');
  const ticketsDir = join(folder, 'tickets');
  writeFileSync(configFile, yaml);
  return {
    configFile,
    ticketsDir,
    ticketFiles: () => {
      try {
        return readdirSync(ticketsDir)
          .filter((name) => name.endsWith('.md'))
          .sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

export interface TicketServer {
  fixpath: Fixpath;
  folder: ServerFolder;
  /** Every log line, as written. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The real server (`startFixpath`) on 127.0.0.1 and a port of its own, with the guides of flows/, SQLite
 * in memory, and its configuration file and tickets folder in a temporary folder.
 */
export async function startTicketServer(
  env: Record<string, string> = {},
  yaml?: string,
): Promise<TicketServer> {
  const folder = serverFolder(yaml);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).trimEnd().split('\n'));
      done();
    },
  });
  try {
    const config = loadConfig({
      FIXPATH_FLOWS_DIR: FLOWS_DIR,
      FIXPATH_DATABASE: ':memory:',
      FIXPATH_TICKETS_DIR: folder.ticketsDir,
      FIXPATH_CONFIG: folder.configFile,
      LOG_LEVEL: 'debug',
      ...env,
    });
    const fixpath = await startFixpath(config, { port: 0, host: '127.0.0.1', logDestination: destination });
    return {
      fixpath,
      folder,
      logs,
      async stop() {
        await fixpath.stop();
        folder.remove();
      },
    };
  } catch (err) {
    folder.remove();
    throw err;
  }
}

/**
 * Resolves with what `read` returns once it is truthy, looking every 20 ms; fails after `timeoutMs`
 * with `what` and, when given, what was seen instead.
 */
export async function until<T>(
  read: () => T | undefined | null | false,
  what: string,
  options: { timeoutMs?: number; seen?: () => unknown } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) {
      const seen = options.seen ? `; seen: ${JSON.stringify(options.seen()).slice(0, 2000)}` : '';
      throw new Error(`timed out waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A short pause after the awaited effect, so that a second one, were it coming, would have come. */
const SETTLE_MS = 500;
export const settle = (ms = SETTLE_MS) => new Promise((resolve) => setTimeout(resolve, ms));
