import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './guides.ts';

const STARTUP_TIMEOUT_MS = 30_000;
const KEPT_LOG_LINES = 200;

/** Every server a test started, killed when the test process exits however it ends. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A real `fixpath serve` in its own process, as an operator runs it: configured by the environment
 * given (and nothing else from the test's environment), serving on a loopback port it picks itself.
 * Keeps the last lines it logged, to explain a failure.
 */
export class FixpathProcess {
  readonly url: string;
  readonly logs: string[];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, url: string, logs: string[], exited: Promise<void>) {
    this.#child = child;
    this.url = url;
    this.logs = logs;
    this.#exited = exited;
  }

  /** Starts `node bin/fixpath.js serve` and resolves once it says where it serves. */
  static async start(env: Record<string, string>): Promise<FixpathProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'fixpath.js'), 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        resolve();
      }),
    );
    const logs: string[] = [];
    const keep = (line: string) => {
      logs.push(line);
      if (logs.length > KEPT_LOG_LINES) logs.shift();
    };
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(`fixpath did not start within ${STARTUP_TIMEOUT_MS} ms`),
        STARTUP_TIMEOUT_MS,
      );
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${why}:\n${logs.join('\n')}`));
      };
      readLines(child.stderr, keep);
      readLines(child.stdout, (line) => {
        keep(line);
        const url = serving(line);
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.once('exit', (code, signal) => fail(`fixpath exited (${signal ?? code}) before serving`));
    });
    return new FixpathProcess(child, url, logs, exited);
  }

  /** Ends the process at once, as a crash or an OOM kill would: no shutdown code runs. */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Logged lines at error level or above (pino level 50 and up). */
  errors(): string[] {
    return this.logs.filter((line) => (parse(line)?.level ?? 0) >= 50);
  }
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line !== '') onLine(line);
  });
}

/** The URL of fixpath's "serving" log line, if this is it. */
function serving(line: string): string | undefined {
  const entry = parse(line);
  return entry?.msg === 'fixpath is serving' ? entry.url : undefined;
}

function parse(line: string): { level?: number; msg?: string; url?: string } | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
