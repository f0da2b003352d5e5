import type { Readable, Writable } from 'node:stream';

/** The streams a command talks to, injected so tests can drive commands without a terminal. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}

export const write = (stream: Writable, text: string) => {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
};
