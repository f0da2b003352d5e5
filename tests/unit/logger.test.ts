import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';

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
});
