import type { FakeSlackApi, SlackCall } from './fake-slack-api.ts';

export interface Block {
  type: string;
  block_id?: string;
  elements?: unknown[];
  accessory?: unknown;
}

/** One drawing of fixpath's guide card: the post that created it or a later chat.update. */
export interface CardRender {
  ts: string;
  channel: string;
  text: string;
  blocks: Block[];
  /** From the card's block ids (`fp|<conversation>|<revision>|…`). */
  conversationId: string;
  revision: number;
}

/** What fixpath did in one Slack thread, as the fake Web API saw it, in the order the calls arrived. */
export interface SlackThread {
  ts: string;
  /** Guide offers posted in the thread. */
  offers: SlackCall[];
  /** Every guide card posted in the thread, by message ts, with each of its renders. */
  cards: Map<string, CardRender[]>;
  /** Escalation tickets for the thread's conversation, posted in the support channel and linking back here. */
  tickets: SlackCall[];
  /** "Filed as …" notices posted in the thread. */
  notices: SlackCall[];
  ephemerals: SlackCall[];
  /** Form modals opened for the thread's conversation. */
  modals: SlackCall[];
}

interface Waiter {
  check: () => boolean;
  deadline: number;
  done: (satisfied: boolean) => void;
}

const CARD_BLOCK = /^fp\|(.*)\|(\d+)\|\d+/;
/** A ticket's link back to its conversation's thread: a permalink, `p` and the ts without its dot. */
const THREAD_LINK = /\/archives\/[A-Z0-9]+\/p(\d+)(\d{6})\b/;

/**
 * An index over a FakeSlackApi's calls by thread, for tests that drive many conversations at once:
 * reads each new call once (the fake's own `waitFor` rescans every call) and wakes whoever waits for
 * a thread to reach some state.
 */
export class SlackThreads {
  readonly #api: FakeSlackApi;
  readonly #threads = new Map<string, SlackThread>();
  /** Card message ts → its thread. */
  readonly #cardThread = new Map<string, string>();
  readonly #waiters = new Set<Waiter>();
  #read = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(api: FakeSlackApi) {
    this.#api = api;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 5);
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const waiter of this.#waiters) waiter.done(false);
    this.#waiters.clear();
  }

  /** The thread as seen so far (calls that arrived since the last tick included). */
  thread(ts: string): SlackThread {
    this.#ingest();
    return this.#thread(ts);
  }

  /**
   * Resolves with what `read` returns for the thread once it returns something, or with undefined
   * when `timeoutMs` passes first.
   */
  until<T>(
    ts: string,
    read: (thread: SlackThread) => T | undefined,
    timeoutMs: number,
  ): Promise<T | undefined> {
    let value = read(this.thread(ts));
    if (value !== undefined) return Promise.resolve(value);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        check: () => {
          value = read(this.#thread(ts));
          return value !== undefined;
        },
        deadline: Date.now() + timeoutMs,
        done: (satisfied) => resolve(satisfied ? value : undefined),
      };
      this.#waiters.add(waiter);
    });
  }

  #tick(): void {
    this.#ingest();
    const now = Date.now();
    for (const waiter of this.#waiters) {
      const satisfied = waiter.check();
      if (satisfied || now >= waiter.deadline) {
        this.#waiters.delete(waiter);
        waiter.done(satisfied);
      }
    }
  }

  #ingest(): void {
    const calls = this.#api.calls;
    for (; this.#read < calls.length; this.#read++) {
      const call = calls[this.#read];
      if (call) this.#file(call);
    }
  }

  #file(call: SlackCall): void {
    const { args } = call;
    switch (call.method) {
      case 'chat.postMessage': {
        const ts = typeof args.thread_ts === 'string' ? args.thread_ts : String(call.reply.ts);
        const thread = this.#thread(ts);
        const blocks = (args.blocks as Block[] | undefined) ?? [];
        const render = cardRender(String(call.reply.ts), args, blocks);
        if (render) {
          thread.cards.set(render.ts, [render]);
          this.#cardThread.set(render.ts, ts);
        } else if (JSON.stringify(blocks).includes('"action_id":"fp:start:')) thread.offers.push(call);
        else if (String(args.text).startsWith('Ticket for ')) {
          const link = THREAD_LINK.exec(JSON.stringify(blocks));
          this.#thread(link ? `${link[1]}.${link[2]}` : ts).tickets.push(call);
        } else if (/^(Filed as|Added to|Ticket filed|Your ticket)/.test(String(args.text)))
          thread.notices.push(call);
        return;
      }
      case 'chat.update': {
        const ts = String(args.ts);
        const threadTs = this.#cardThread.get(ts);
        const render = cardRender(ts, args, (args.blocks as Block[] | undefined) ?? []);
        if (threadTs && render) this.#thread(threadTs).cards.get(ts)?.push(render);
        return;
      }
      case 'chat.postEphemeral':
        if (typeof args.thread_ts === 'string') this.#thread(args.thread_ts).ephemerals.push(call);
        return;
      case 'views.open': {
        const meta = JSON.parse(
          String((args.view as { private_metadata?: string }).private_metadata ?? '{}'),
        );
        const threadTs = String(meta.k ?? '')
          .split(':')
          .at(-1);
        if (threadTs) this.#thread(threadTs).modals.push(call);
        return;
      }
    }
  }

  #thread(ts: string): SlackThread {
    let thread = this.#threads.get(ts);
    if (!thread) {
      thread = { ts, offers: [], cards: new Map(), tickets: [], notices: [], ephemerals: [], modals: [] };
      this.#threads.set(ts, thread);
    }
    return thread;
  }
}

function cardRender(ts: string, args: Record<string, unknown>, blocks: Block[]): CardRender | undefined {
  const match = blocks.map((b) => CARD_BLOCK.exec(b.block_id ?? '')).find((m) => m !== null);
  if (!match) return undefined;
  return {
    ts,
    channel: String(args.channel),
    text: String(args.text),
    blocks,
    conversationId: match[1] ?? '',
    revision: Number(match[2]),
  };
}
