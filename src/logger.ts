import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from './config.ts';
import { findSecrets, redactSecrets } from './escalation/redact-secrets.ts';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'values',
  '*.values',
];

/**
 * The one root logger: objects first, secrets redacted by key and, in any string, by the same patterns
 * tickets use. Each turn gets a child logger with its platform, conversation and guide.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const root = pino(
    {
      level: config.logLevel,
      base: { service: 'fixpath' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Errors arrive already scrubbed into plain objects (by the hook below), and stay as they are.
      serializers: { err: (err: unknown) => scrub(err) },
      hooks: {
        // The object logged, the message and every argument interpolated into it (`%s`, `%j`, `%o`).
        logMethod(args, method) {
          method.apply(this, args.map((arg) => scrub(arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // A child logger's bindings are scrubbed once, when it is made. pino makes each child from its parent
  // (`Object.create`), so every descendant inherits this `child`.
  const child = root.child;
  root.child = function (this: Logger, bindings, options) {
    return child.call(this, scrub(bindings) as typeof bindings, options);
  } as Logger['child'];
  return root;
}

/** How deep `scrub` looks into a logged value; anything deeper is left out rather than risked. */
const MAX_DEPTH = 10;

/**
 * A logged value with every string redacted, however deep it sits: Errors become plain objects whose
 * message, stack and cause are redacted too, and what lies deeper than MAX_DEPTH is left out.
 */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactLogText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[omitted: nested too deep]';
  if (value instanceof Error) {
    const { name, message, stack, cause, ...own } = value as Error & Record<string, unknown>;
    return scrub({ type: name, message, stack, ...own, ...(cause === undefined ? {} : { cause }) }, depth);
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

/**
 * A log string with its secrets redacted. Libraries log payloads as JSON text, whose escaped quotes and
 * line breaks hide a secret from patterns that read them (`{\"password\":\"…\"}`): when the text
 * unescaped has more of it recognised as secret than the text as written, it is logged unescaped, redacted.
 */
function redactLogText(text: string): string {
  const redacted = redactSecrets(text);
  if (!/\\["nrt\\]/.test(text)) return redacted;
  const unescaped = text.replace(/\\(["nrt\\])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
  const covered = (t: string) => findSecrets(t).reduce((sum, f) => sum + f.end - f.start, 0);
  return covered(unescaped) > covered(text) ? redactSecrets(unescaped) : redacted;
}
