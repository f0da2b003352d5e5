import { setTimeout as sleep } from 'node:timers/promises';
import type { SlackCall } from './fake-slack-api.ts';
import {
  blockActionsBody,
  CHANNEL,
  eventCallback,
  type ModalValues,
  sendToSlackEndpoint,
  TEAM,
  viewSubmissionBody,
} from './slack-requests.ts';
import type { Block, CardRender, SlackThread, SlackThreads } from './slack-threads.ts';

export type Label = string | RegExp;

/** One turn of a script: a button clicked on the card, or the card's form filled in and submitted. */
export type ScriptStep = ({ click: Label } | { submit: ModalValues; refuseFirst?: ModalValues }) & {
  /** The card's step title once this turn is applied. */
  title: string;
};

/** A person's whole conversation with fixpath in one Slack thread, from the mention to the last click. */
export interface ConversationScript {
  /** The ts of the mention, which roots the thread (and so names the conversation). */
  thread: string;
  user: { id: string; name: string };
  mention: string;
  flowId: string;
  flowTitle: string;
  /** The first step's title, shown once the guide starts. */
  firstTitle: string;
  steps: ScriptStep[];
}

export interface WalkOptions {
  /** Where Slack sends requests (read before every request, so it may change). */
  url: () => string;
  threads: SlackThreads;
  /** How long a person waits for the card to change before clicking again. */
  patienceMs: number;
  /** How long one turn may take, retries included, before the conversation counts as stuck. */
  turnTimeoutMs: number;
  /** Called after each turn the card shows as applied (the start included). */
  onTurn?: () => void;
}

export interface WalkReport {
  thread: string;
  /** Requests sent again: failed deliveries, and clicks repeated because the card did not change. */
  retries: number;
  /** What went against the script; empty when the conversation went exactly as written. */
  problems: string[];
}

interface Element {
  type: string;
  action_id: string;
  text?: { text: string };
  value?: string;
}

/**
 * Walks one scripted conversation through fixpath's Slack endpoint, as its person would: mention the
 * bot, start the guide from the offers, click each scripted button on the card as it is drawn, fill in
 * forms in their modal. Behaves like Slack and a patient person when something goes wrong: an event
 * that was not acknowledged is delivered again, and a click that changed nothing in `patienceMs` is
 * clicked again on the card as it stands. Never throws: what went wrong is in the report.
 */
export async function walkSlackConversation(
  script: ConversationScript,
  options: WalkOptions,
): Promise<WalkReport> {
  const walker = new Walker(script, options);
  try {
    await walker.walk();
  } catch (err) {
    walker.problems.push(err instanceof Error ? err.message : String(err));
  }
  return { thread: script.thread, retries: walker.retries, problems: walker.problems };
}

class Walker {
  readonly problems: string[] = [];
  retries = 0;
  readonly #script: ConversationScript;
  readonly #options: WalkOptions;
  #mentions = 0;

  constructor(script: ConversationScript, options: WalkOptions) {
    this.#script = script;
    this.#options = options;
  }

  async walk(): Promise<void> {
    const script = this.#script;
    const offers = await this.#turn(
      'the guide offers',
      (attempt, delivered) => this.#mention(attempt, delivered),
      (t) => t.offers.at(-1),
    );
    let card = await this.#turn(
      'the guide card',
      () => this.#send(startClick(offers, script)),
      (t) => newestCard(t, 1),
    );
    this.#expect(card, 1, script.firstTitle);
    for (const [n, step] of script.steps.entries()) {
      const revision = card.revision + 1;
      const where = `turn ${n + 2} (${'click' in step ? `click "${String(step.click)}"` : 'form'})`;
      if ('click' in step) {
        const from = card;
        card = await this.#turn(
          where,
          () => this.#send(clickBody(this.#latest(from), step.click, script)),
          (t) => newestCard(t, revision),
        );
      } else {
        card = await this.#form(where, card, step);
      }
      this.#expect(card, revision, step.title);
    }
  }

  /**
   * A form turn, as a person does it: click the card's "Fill in" button, fill in the modal that opens
   * and submit it (again while the modal got no answer). When the card does not change after the
   * modal was accepted and closed, or no modal opens, click "Fill in" on the card again.
   */
  async #form(
    where: string,
    from: CardRender,
    step: { submit: ModalValues; refuseFirst?: ModalValues },
  ): Promise<CardRender> {
    const { threads, patienceMs, turnTimeoutMs } = this.#options;
    const thread = this.#script.thread;
    const revision = from.revision + 1;
    const deadline = Date.now() + turnTimeoutMs;
    const reached = (t: SlackThread) => newestCard(t, revision);
    let refused = step.refuseFirst === undefined;
    for (let attempt = 0; ; attempt++) {
      const seen = reached(threads.thread(thread));
      if (seen) return seen;
      if (Date.now() > deadline) throw new Error(`stuck waiting for ${where} after ${attempt} attempts`);
      if (attempt > 0) this.retries++;
      const opened = threads.thread(thread).modals.length;
      if (!(await this.#send(clickBody(this.#latest(from), /^Fill in/, this.#script)))) {
        await sleep(100 + Math.random() * 200);
        continue;
      }
      const shown = await threads.until(
        thread,
        (t) => reached(t) ?? t.modals.slice(opened).find((m) => modalMeta(m).v === from.revision),
        patienceMs,
      );
      if (shown === undefined || 'revision' in shown) continue;
      if (!refused && step.refuseFirst) {
        await this.#refused(shown, step.refuseFirst, where);
        refused = true;
      }
      if (!(await this.#submit(shown, step.submit, where))) continue;
      const updated = await threads.until(thread, reached, patienceMs);
      if (updated) return updated;
    }
  }

  /**
   * One turn: act, then wait for the thread to show its result; act again when the request failed or
   * nothing showed within the person's patience, until the turn's time is up.
   */
  async #turn<T>(
    what: string,
    act: (attempt: number, delivered: boolean) => Promise<boolean>,
    reached: (thread: SlackThread) => T | undefined,
  ): Promise<T> {
    const { threads, patienceMs, turnTimeoutMs } = this.#options;
    const thread = this.#script.thread;
    const deadline = Date.now() + turnTimeoutMs;
    let delivered = true;
    for (let attempt = 0; ; attempt++) {
      const seen = reached(threads.thread(thread));
      if (seen !== undefined) return seen;
      if (Date.now() > deadline) {
        throw new Error(`stuck waiting for ${what} after ${attempt} attempts`);
      }
      if (attempt > 0) this.retries++;
      delivered = await act(attempt, delivered);
      if (!delivered) {
        await sleep(100 + Math.random() * 200);
        continue;
      }
      const shown = await threads.until(thread, reached, patienceMs);
      if (shown !== undefined) return shown;
    }
  }

  /** The first mention; an unacknowledged one is delivered again as Slack does, else the person asks again in the thread. */
  async #mention(attempt: number, delivered: boolean): Promise<boolean> {
    const { thread, user, mention } = this.#script;
    const [seconds, fraction] = thread.split('.');
    if (delivered) this.#mentions = attempt;
    const ts = `${seconds}.${String(Number(fraction) + this.#mentions).padStart(6, '0')}`;
    const event = {
      type: 'app_mention',
      user: user.id,
      text: `<@UFIXPATH> ${mention}`,
      ts,
      ...(ts === thread ? {} : { thread_ts: thread }),
      channel: CHANNEL,
      event_ts: ts,
      team: TEAM,
    };
    const eventId = `Ev0LB${thread.replace('.', '')}${this.#mentions}`;
    return this.#deliver(eventCallback(event, eventId), 'application/json', delivered ? undefined : attempt);
  }

  /** A form filled in wrongly on purpose: fixpath must refuse it in the modal, changing nothing. */
  async #refused(modal: SlackCall, values: ModalValues, where: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await this.#post(this.#submission(modal, values), 'application/x-www-form-urlencoded');
      if (response && response.status < 500) {
        const answer =
          response.text === '' ? {} : (JSON.parse(response.text) as { response_action?: string });
        if (response.status !== 200 || answer.response_action !== 'errors')
          this.problems.push(`${where}: a wrong form was not refused (${response.status} ${response.text})`);
        return;
      }
      this.retries++;
      await sleep(200);
    }
    throw new Error(`${where}: the wrong form never got an answer`);
  }

  /** Submits a modal, again while it gets no answer (Slack keeps it open); false if it never did. */
  async #submit(modal: SlackCall, values: ModalValues, where: string): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (attempt > 0) {
        this.retries++;
        await sleep(100 + Math.random() * 200);
      }
      const response = await this.#post(this.#submission(modal, values), 'application/x-www-form-urlencoded');
      if (!response || response.status >= 500) continue;
      if (response.status !== 200 || response.text !== '')
        this.problems.push(`${where}: the form was not accepted (${response.status} ${response.text})`);
      return true;
    }
    return false;
  }

  /** The modal submitted by the script's person, with values by field id (text, option id, or yes/no). */
  #submission(modal: SlackCall, values: ModalValues): string {
    const triggerId = `1337.${Date.now()}.submit`;
    return viewSubmissionBody({ modal, values, user: this.#script.user, triggerId });
  }

  #send(body: string): Promise<boolean> {
    return this.#deliver(body, 'application/x-www-form-urlencoded');
  }

  async #deliver(body: string, contentType: string, retryNum?: number): Promise<boolean> {
    const response = await this.#post(body, contentType, retryNum);
    if (!response || response.status >= 500) return false;
    if (response.status !== 200) this.problems.push(`fixpath answered ${response.status}: ${response.text}`);
    return true;
  }

  async #post(body: string, contentType: string, retryNum?: number) {
    try {
      return await sendToSlackEndpoint(
        this.#options.url(),
        body,
        contentType,
        retryNum === undefined ? {} : { retryNum },
      );
    } catch {
      return undefined;
    }
  }

  /** The card as the person now sees it: its newest render. */
  #latest(card: CardRender): CardRender {
    return this.#options.threads.thread(this.#script.thread).cards.get(card.ts)?.at(-1) ?? card;
  }

  #expect(card: CardRender, revision: number, title: string): void {
    this.#options.onTurn?.();
    const text = `${this.#script.flowTitle}: ${title}`;
    if (card.revision !== revision)
      this.problems.push(`revision ${card.revision} where the script is at turn ${revision}`);
    if (card.text !== text)
      this.problems.push(`turn ${revision}: the card shows "${card.text}", not "${text}"`);
  }
}

/** The render with the highest revision of the thread's newest card, once it is at `revision` or beyond. */
function newestCard(thread: SlackThread, revision: number): CardRender | undefined {
  const renders = [...thread.cards.values()].at(-1) ?? [];
  let best: CardRender | undefined;
  for (const render of renders) if (!best || render.revision >= best.revision) best = render;
  return best && best.revision >= revision ? best : undefined;
}

function modalMeta(modal: SlackCall): { k?: string; c?: string; v?: number; m?: string } {
  const view = modal.args.view as { private_metadata?: string };
  return JSON.parse(view.private_metadata ?? '{}');
}

function startClick(offers: SlackCall, script: ConversationScript): string {
  const blocks = (offers.args.blocks as Block[] | undefined) ?? [];
  for (const block of blocks) {
    const button = block.accessory as Element | undefined;
    if (button?.action_id.startsWith('fp:start:') && button.value === script.flowId) {
      const message = {
        ts: String(offers.reply.ts),
        channel: String(offers.args.channel),
        text: String(offers.args.text),
        blocks,
      };
      return blockActions(message, script, block.block_id ?? '', button);
    }
  }
  throw new Error(`no Start button for ${script.flowId} in the offers`);
}

function clickBody(card: CardRender, label: Label, script: ConversationScript): string {
  const buttons = card.blocks.flatMap((block) =>
    [...((block.elements ?? []) as Element[]), ...(block.accessory ? [block.accessory as Element] : [])]
      .filter((element) => element.type === 'button')
      .map((element) => ({ blockId: block.block_id ?? '', element })),
  );
  const text = (b: { element: Element }) => b.element.text?.text ?? '';
  const found =
    typeof label === 'string'
      ? (buttons.find((b) => text(b) === label) ?? buttons.find((b) => text(b).startsWith(label)))
      : buttons.find((b) => label.test(text(b)));
  if (!found)
    throw new Error(`no button "${String(label)}" on the card at revision ${card.revision}: ${card.text}`);
  return blockActions(card, script, found.blockId, found.element);
}

/** The block_actions of the script's person using `element` on a message of the thread. */
function blockActions(
  message: { ts: string; channel: string; text: string; blocks: Block[] },
  script: ConversationScript,
  blockId: string,
  element: Element,
): string {
  const now = Date.now();
  return blockActionsBody({
    user: script.user,
    message: { ...message, threadTs: script.thread },
    blockId,
    element,
    picked: element.value === undefined ? {} : { value: element.value },
    triggerId: `1337.${now}.${script.thread}`,
    actionTs: `${Math.floor(now / 1000)}.${String(now % 1000).padStart(6, '0')}`,
  });
}

/** The thread a Slack request belongs to, read from its raw body: what a load balancer could route on. */
export function slackThreadOf(body: Buffer): string | undefined {
  const raw = body.toString('utf8');
  try {
    if (raw.startsWith('{')) {
      const event = (JSON.parse(raw) as { event?: { ts?: string; thread_ts?: string } }).event;
      return event?.thread_ts ?? event?.ts;
    }
    const payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? '{}') as {
      container?: { thread_ts?: string };
      message?: { ts?: string; thread_ts?: string };
      view?: { private_metadata?: string };
    };
    if (payload.view?.private_metadata) {
      const key = (JSON.parse(payload.view.private_metadata) as { k?: string }).k;
      return key?.split(':').at(-1);
    }
    return payload.container?.thread_ts ?? payload.message?.thread_ts ?? payload.message?.ts;
  } catch {
    return undefined;
  }
}
