import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/** Bolt and the Web API client log through fixpath's pino logger (and so through its redaction). */
export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  // Strings make the message; anything else goes in as data, for the logger to redact field by field.
  const write = (at: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const text = parts.filter((p) => typeof p === 'string').join(' ');
    const details = parts.filter((p) => typeof p !== 'string');
    if (details.length === 0) log[at](text);
    else log[at]({ details }, text);
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
