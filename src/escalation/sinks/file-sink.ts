import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeliveryResult } from '../../stores/outbox-store.ts';
import { DeliveryError } from '../delivery-error.ts';
import { idempotencyKey, type TicketOutboxEntry } from '../outbox.ts';
import type { EscalationSink } from '../sink.ts';

/** The file operations the sink needs; `node:fs/promises` has them all. */
export interface SinkFiles {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export interface FileSinkOptions {
  /** The folder tickets are written to; created when missing. */
  dir: string;
  /** The file system, handed in by the composition root (`node:fs/promises`). */
  files: SinkFiles;
  name?: string;
}

/**
 * Tickets as Markdown files in a folder: the default when no other sink is configured, and a dry
 * run for the others. A ticket's file is named from its idempotency key, and written whole to a
 * temporary name first, then renamed, so a repeated delivery replaces the same file and a reader
 * never sees half a ticket. An escalation that repeats an open one is appended to that one's file.
 */
export class FileSink implements EscalationSink {
  readonly name: string;
  readonly #dir: string;
  readonly #files: SinkFiles;

  constructor(options: FileSinkOptions) {
    this.name = options.name ?? 'file';
    this.#dir = options.dir;
    this.#files = options.files;
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const file = ticketFileName(idempotencyKey(entry));
    await this.#write(file, entry.ticket.markdown);
    return this.#result(file);
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const file = typeof target.details?.file === 'string' ? target.details.file : target.externalId;
    if (!file) throw new DeliveryError('sink_refused', `${this.name}: the ticket to add to has no file`);
    const marker = `<!-- fixpath-escalation: ${idempotencyKey(entry)} -->`;
    const existing = await this.#read(file);
    if (!existing.includes(marker)) {
      const { ticket } = entry;
      const addition = [
        '',
        '---',
        '',
        `## Reported again: escalation #${ticket.escalationNumber} of conversation \`${ticket.conversationId}\``,
        marker,
        '',
        ticket.markdown.replace(/^## /m, '### '),
      ].join('\n');
      await this.#write(file, `${existing.trimEnd()}\n${addition}`);
    }
    return this.#result(file);
  }

  async #write(file: string, text: string): Promise<void> {
    const path = join(this.#dir, file);
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await this.#files.mkdir(this.#dir, { recursive: true });
      await this.#files.writeFile(temporary, text, 'utf8');
      await this.#files.rename(temporary, path);
    } catch (err) {
      throw new DeliveryError('sink_unavailable', `${this.name}: cannot write ${path}`, { cause: err });
    }
  }

  async #read(file: string): Promise<string> {
    try {
      return await this.#files.readFile(join(this.#dir, file), 'utf8');
    } catch (err) {
      throw new DeliveryError('sink_unavailable', `${this.name}: cannot read ${file}`, { cause: err });
    }
  }

  #result(file: string): DeliveryResult {
    const path = join(this.#dir, file);
    return { externalId: file, url: pathToFileURL(path).href, label: file, details: { file, path } };
  }
}

/** `<conversation id>-<escalation number>.md`, with anything unsafe in a file name replaced. */
export function ticketFileName(key: string): string {
  return `${key.replace(/:/g, '-').replace(/[^A-Za-z0-9._-]/g, '_')}.md`;
}
