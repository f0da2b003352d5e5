import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/** Bolt and the Web API client log through fixpath's pino logger (and so through its redaction). */
export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const line = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
