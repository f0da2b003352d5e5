import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { ROOT } from './bench-records.ts';

const STARTUP_TIMEOUT_MS = 30_000;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A server under benchmark in its own process; its output is read and dropped, like a log shipper would. */
export interface ServerProcess {
  url: string;
  /** Its resident set size now, in bytes (Linux only; undefined elsewhere). */
  rss(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with only the environment given (plus PATH and HOME) and resolves once it
 * prints a JSON line saying it is serving, with its URL.
 */
export async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let rest = '';
    const timer = setTimeout(() => fail('did not start in time'), STARTUP_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} ${why}:\n${lines.join('\n')}`));
    };
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    child.once('exit', onExit);
    child.stderr?.on('data', (chunk: Buffer) => lines.push(String(chunk)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', function onData(chunk: string) {
      const all = (rest + chunk).split('\n');
      rest = all.pop() ?? '';
      for (const line of all) {
        lines.push(line);
        const serving = parse(line);
        if (serving) {
          clearTimeout(timer);
          child.off('exit', onExit);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(serving);
          return;
        }
      }
    });
  });
  child.once('exit', () => running.delete(child));
  return {
    url,
    async rss() {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb === undefined ? undefined : Number(kb) * 1024;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function parse(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return typeof entry.msg === 'string' && entry.msg.endsWith('is serving') && typeof entry.url === 'string'
      ? entry.url
      : undefined;
  } catch {
    return undefined;
  }
}
