import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { cases, secretParts } from '../helpers/secret-corpus.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ logLevel: 'debug' }, stream), lines };
}

/** Every string in a parsed log line, keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => [key, ...stringsIn(v)]);
}

// Assembled at run time so no token-shaped string sits in the source.
const botToken = ['xoxb', '1111111111', '2222222222', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');

describe('the logger', () => {
  it('never writes a token, whether under a secret key, inside an object, or in the message', () => {
    const { logger, lines } = capture();
    logger.child({ platform: 'slack' }).info(
      {
        token: botToken,
        request: { headers: { authorization: `Bearer ${botToken}` } },
        note: `pasted ${botToken}`,
      },
      `turn with ${botToken}`,
    );
    const out = lines.join('');
    expect(out).not.toContain(botToken);
    expect(out).toContain('[redacted');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ platform: 'slack', service: 'fixpath' });
  });

  it('keeps submitted form values out of the log entirely', () => {
    const { logger, lines } = capture();
    logger.info({ values: { cookie_max_age: 'Session', password: 'hunter2' } }, 'submitted');
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines.join('')).not.toContain('Session');
  });

  it.each(cases)(
    'never writes $name, whether it is the message, a field, nested in an object or in an array',
    (secret) => {
      const { logger, lines } = capture();
      logger.info(secret.text);
      logger.info({ note: secret.text }, 'pasted into a field');
      logger.info({ request: { body: { event: { text: secret.text } } } }, 'nested');
      logger.info({ pasted: ['before', secret.text, { again: [secret.text] }] }, 'in an array');

      const out = lines.join('');
      const written = lines.flatMap((line) => stringsIn(JSON.parse(line)));
      for (const part of secretParts(secret)) {
        expect(out).not.toContain(part);
        expect(out).not.toContain(JSON.stringify(part).slice(1, -1));
        expect(written.filter((text) => text.includes(part))).toEqual([]);
      }
      // What surrounds the secret survives: each copy reads exactly as redaction leaves it.
      const [message, field, nested, array] = lines.map((line) => JSON.parse(line));
      expect(message.msg).toBe(secret.redacted);
      expect(field.note).toBe(secret.redacted);
      expect(nested.request.body.event.text).toBe(secret.redacted);
      expect(array.pasted).toEqual(['before', secret.redacted, { again: [secret.redacted] }]);
    },
  );

  it.each(cases)(
    'never writes $name from an error, a child logger, an interpolated argument, a deep object or a library’s JSON text',
    (secret) => {
      const { logger, lines } = capture();
      const failure = Object.assign(new Error(`request failed: ${secret.text}`), { code: 'E_TEST' });
      logger.error({ err: failure }, 'an error as err');
      logger.error(new Error(secret.text));
      logger.child({ note: secret.text }).info('a child logger');
      logger.info('interpolated %s and %j and %o', secret.text, { note: secret.text }, [secret.text]);
      let deep: unknown = secret.text;
      for (let level = 0; level < 14; level++) deep = { level, deep };
      logger.info({ deep }, 'deep');
      logger.debug(`http request body: ${JSON.stringify({ channel: 'C1', text: secret.text })}`);

      const out = lines.join('');
      for (const part of secretParts(secret)) {
        expect(out).not.toContain(part);
        expect(out).not.toContain(JSON.stringify(part).slice(1, -1));
      }
      const [asErr] = lines.map((line) => JSON.parse(line));
      expect(asErr.err).toMatchObject({ type: 'Error', code: 'E_TEST' });
      expect(asErr.err.message).toContain('request failed: ');
    },
  );

  it('keeps ordinary JSON text as it was', () => {
    const { logger, lines } = capture();
    const body = JSON.stringify({ channel: 'C1', text: 'line one\nline "two"' });
    logger.debug(`http request body: ${body}`);
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe(`http request body: ${body}`);
  });
});
