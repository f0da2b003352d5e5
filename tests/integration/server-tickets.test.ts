import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTeamsConnector } from '../helpers/fake-teams-connector.ts';
import { fakeGitHub, GITHUB_TOKEN } from '../helpers/fake-ticket-apis.ts';
import { escalateInPlayground } from '../helpers/server-tickets-playground.ts';
import { serverFolder, settle, startTicketServer, until } from '../helpers/server-tickets-server.ts';
import { SESSION_EXPIRY_ANSWERS } from '../helpers/session-expiry-answers.ts';
import { type Card, SlackHarness } from '../helpers/slack-harness.ts';
import { CHANNEL as SLACK_CHANNEL } from '../helpers/slack-requests.ts';
import {
  botAdded,
  button,
  cardIn,
  channelThread,
  invoke,
  message,
  nextMessageId,
  PERSONAL_CONVERSATION,
  personalChat,
  postActivity,
  TEAM_GROUP_ID,
  TEAM_NAME,
  CHANNEL as TEAMS_CHANNEL,
  TENANT_ID,
  teamGeneral,
  textsOf,
  titleOf,
  type Where,
} from '../helpers/teams-activities.ts';

// The escalation sinks as the composition root wires them: the real server (startFixpath on
// 127.0.0.1), its outbox deliverer, and the sinks and conversation notices `openSinks` builds from
// the environment and the configuration file. Escalations come in through the web playground's API,
// Slack's events endpoint or Teams' /api/messages; only GitHub, Slack's Web API and the Teams
// connector are faked, and every wait is on what arrived there (or in the tickets folder).

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('tickets routed per guide by the configuration file', () => {
  const ROUTING = ['tickets:', '  sinks: [file]', '  guides:', '    session-expiry: [github]', ''].join('\n');

  async function start() {
    const github = fakeGitHub();
    const apiUrl = await github.service.start();
    stops.push(() => github.service.stop());
    const server = await startTicketServer(
      { GITHUB_TOKEN, GITHUB_REPOSITORY: 'acme/support', GITHUB_API_URL: apiUrl },
      ROUTING,
    );
    stops.push(() => server.stop());
    return { github, server };
  }

  it('files a session-expiry escalation as exactly one GitHub issue, with its title, guide and severity labels and hidden marker, and writes no Markdown file', async () => {
    const { github, server } = await start();

    const ticket = await escalateInPlayground(server.fixpath.url, 'session-expiry', SESSION_EXPIRY_ANSWERS);

    const [issue] = await until(() => github.issues.length > 0 && github.issues, 'a GitHub issue');
    await settle();
    expect(github.service.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /repos/acme/support/issues',
    ]);
    expect(github.issues).toHaveLength(1);
    expect(ticket.title).toBe('Fix a session that expires fast (reported by Playground user)');
    expect(issue?.title).toBe(ticket.title);
    expect(issue?.labels).toEqual(['session-expiry', `severity:${ticket.severity}`]);
    expect(issue?.body).toBe(
      `${ticket.markdown.trimEnd()}\n\n<!-- fixpath-escalation: ${ticket.conversationId}:1 -->\n`,
    );
    expect(issue?.body).toContain('30m');
    expect(server.folder.ticketFiles()).toEqual([]);
  });

  it('files another guide’s escalation as a Markdown file in the tickets folder and opens no GitHub issue', async () => {
    const { github, server } = await start();

    const ticket = await escalateInPlayground(server.fixpath.url, 'cors-error', {
      page_origin: 'https://app.example.com',
      api_url: 'https://api.example.com/v1/orders',
      console_error: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      uses_credentials: true,
      proxy_in_path: 'nginx',
    });

    const [file] = await until(
      () => server.folder.ticketFiles().length > 0 && server.folder.ticketFiles(),
      'a ticket file',
    );
    await settle();
    expect(server.folder.ticketFiles()).toEqual([`${ticket.conversationId}-1.md`]);
    expect(readFileSync(join(server.folder.ticketsDir, file ?? ''), 'utf8')).toBe(ticket.markdown);
    expect(ticket.guide.id).toBe('cors-error');
    expect(github.service.requests).toEqual([]);
  });
});

describe('an escalation in a Teams chat', () => {
  /** The details of the session-expiry ticket form, as a Teams card's inputs merge them into a click. */
  const CARD_INPUTS = {
    'field:session_timeout': '24m',
    'field:store_type': 'files',
    'field:lb_type': 'none',
    'field:cookie_max_age': 'Session',
  };

  async function start(env: Record<string, string> = {}) {
    const connector = new FakeTeamsConnector();
    const serviceUrl = await connector.start();
    stops.push(() => connector.stop());
    const server = await startTicketServer({ FIXPATH_TEAMS_LOCAL_NO_AUTH: 'true', ...env });
    stops.push(() => server.stop());
    return { connector, serviceUrl, server, where: personalChat(serviceUrl) };
  }

  /** What fixpath posted into the personal chat as plain text (not a card). */
  const chatTexts = (connector: FakeTeamsConnector) =>
    connector
      .posts()
      .filter((c) => c.conversationId === PERSONAL_CONVERSATION && typeof c.body.text === 'string')
      .map((c) => String(c.body.text));

  /** Starts session-expiry, asks for help with the typed command, and files the ticket from the card. */
  async function escalateInTeams(
    url: string,
    connector: FakeTeamsConnector,
    where: Where,
    options: { beforeFiling?: () => void } = {},
  ) {
    const posted = connector.posts().length;
    await postActivity(url, message(where, 'start session-expiry'));
    const [step] = (
      await until(() => connector.posts().length > posted && connector.posts(), 'the step card')
    ).slice(-1);
    const cardId = step?.id ?? '';
    expect(titleOf(cardIn(step))).toBe('Quick triage — pick your path');

    const updated = connector.updates().length;
    await postActivity(url, message(where, 'escalate'));
    const [form] = (
      await until(() => connector.updates().length > updated && connector.updates(), 'the ticket form')
    ).slice(-1);
    expect(form?.activityId).toBe(cardId);
    expect(titleOf(cardIn(form))).toBe('Contact backend or infrastructure support');

    const data = { ...button(cardIn(form), 'File the ticket').data, ...CARD_INPUTS };
    options.beforeFiling?.();
    const filed = await postActivity(url, invoke(where, data, { replyToId: cardId }));
    expect(filed.status).toBe(200);
    const answer = filed.body as { statusCode: number; value: unknown };
    expect(answer.statusCode).toBe(200);
    expect(textsOf(answer.value).join(' / ')).toContain('Escalated');
  }

  /** Someone @mentions fixpath in a new post of the support channel; resolves once it answered there. */
  async function mentionInChannel(url: string, connector: FakeTeamsConnector, serviceUrl: string) {
    const root = nextMessageId();
    const thread = `${TEAMS_CHANNEL};messageid=${root}`;
    await postActivity(url, message(channelThread(serviceUrl, root), 'hello', { id: root, mention: true }));
    await until(
      () => connector.posts().some((c) => c.conversationId === thread),
      'the answer in the channel',
    );
  }

  it('ends with one message in the chat saying where the ticket was saved, when tickets are Markdown files', async () => {
    const { connector, server, where } = await start();

    await escalateInTeams(server.fixpath.url, connector, where);

    const [notice] = await until(
      () => chatTexts(connector).length > 0 && chatTexts(connector),
      'the notice in the chat',
      { seen: () => connector.calls.map((c) => [c.method, c.conversationId, c.body.text]) },
    );
    const [file] = server.folder.ticketFiles();
    expect(file).toMatch(/^[0-9a-f-]+-1\.md$/);
    expect(notice).toBe(`Ticket filed for the support team (saved as ${file})`);
    await settle();
    expect(chatTexts(connector)).toEqual([notice]);
    expect(server.folder.ticketFiles()).toEqual([file]);
    const [sent] = connector.posts().filter((c) => c.body.text === notice);
    expect(sent?.body.recipient).toMatchObject({ name: 'Ada Lovelace' });
  });

  it('gives the notice up at once, without trying again, when Teams refuses it because the person blocked fixpath', async () => {
    const { connector, server, where } = await start();

    // The filing click is answered over HTTP; every write to the chat after it is refused, as Teams
    // refuses them once the person blocked the bot.
    await escalateInTeams(server.fixpath.url, connector, where, {
      beforeFiling: () => {
        for (let i = 0; i < 5; i++)
          connector.queue({ status: 403, body: { error: { code: 'MessageWritesBlocked' } } });
      },
    });

    const deadLettered = () =>
      server.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((log) => log.sink === 'notice' && String(log.msg).includes('dead-lettered'));
    const [given] = await until(
      () => deadLettered().length > 0 && deadLettered(),
      'the notice dead-lettered',
      {
        seen: () => server.logs.filter((l) => l.includes('"sink":"notice"')),
      },
    );
    expect(given).toMatchObject({ refused: true, attempts: 1 });
    const attempts = () =>
      connector.calls.filter(
        (c) => c.conversationId === PERSONAL_CONVERSATION && typeof c.body.text === 'string',
      );
    expect(attempts().map((c) => [c.status, c.body.text])).toEqual([
      [403, `Ticket filed for the support team (saved as ${server.folder.ticketFiles()[0]})`],
    ]);
    await settle();
    expect(attempts()).toHaveLength(1);
  });

  it('posts the ticket card in the support channel fixpath has seen, and tells the chat it was filed there with a link to the card', async () => {
    const { connector, serviceUrl, server, where } = await start({ TEAMS_SUPPORT_CHANNEL: TEAMS_CHANNEL });
    // fixpath is added to the team (which names its group, for links) and @mentioned in the channel.
    await postActivity(server.fixpath.url, botAdded(teamGeneral(serviceUrl)));
    await mentionInChannel(server.fixpath.url, connector, serviceUrl);

    await escalateInTeams(server.fixpath.url, connector, where);

    const toChannel = () => connector.posts().filter((c) => c.conversationId === TEAMS_CHANNEL);
    const [ticketCard] = await until(
      () => toChannel().length > 0 && toChannel(),
      'the ticket in the channel',
    );
    const id = ticketCard?.id ?? '';
    expect(ticketCard?.activityId).toBeUndefined();
    expect(titleOf(cardIn(ticketCard))).toBe('Fix a session that expires fast (reported by Ada Lovelace)');
    expect(String(ticketCard?.body.summary)).toMatch(
      /^Ticket for .+: Fix a session that expires fast \(reported by Ada Lovelace\)$/,
    );
    expect(textsOf(cardIn(ticketCard)).join(' / ')).toContain('24m');

    const [notice] = await until(
      () => chatTexts(connector).length > 0 && chatTexts(connector),
      'the notice in the chat',
      { seen: () => connector.calls.map((c) => [c.method, c.conversationId, c.body.text]) },
    );
    expect(notice).toBe(
      `Filed as a card in the support channel: https://teams.microsoft.com/l/message/${encodeURIComponent(TEAMS_CHANNEL)}/${id}` +
        `?tenantId=${TENANT_ID}&groupId=${TEAM_GROUP_ID}&parentMessageId=${id}` +
        `&teamName=${encodeURIComponent(TEAM_NAME)}&createdTime=${id}`,
    );
    await settle();
    expect(toChannel()).toHaveLength(1);
    expect(chatTexts(connector)).toEqual([notice]);
    expect(server.folder.ticketFiles()).toEqual([]);
  });

  it('says the ticket was filed as a card in the support channel, without a link, when fixpath was only @mentioned there', async () => {
    const { connector, serviceUrl, server, where } = await start({ TEAMS_SUPPORT_CHANNEL: TEAMS_CHANNEL });
    // Without fixpath added to the team, the team's group (which a link to a message needs) is unknown.
    await mentionInChannel(server.fixpath.url, connector, serviceUrl);

    await escalateInTeams(server.fixpath.url, connector, where);

    const toChannel = () => connector.posts().filter((c) => c.conversationId === TEAMS_CHANNEL);
    await until(() => toChannel().length > 0, 'the ticket in the channel');
    const [notice] = await until(
      () => chatTexts(connector).length > 0 && chatTexts(connector),
      'the notice in the chat',
    );
    expect(notice).toBe('Filed as a card in the support channel');
    await settle();
    expect(toChannel()).toHaveLength(1);
    expect(chatTexts(connector)).toEqual([notice]);
  });
});

describe('a Slack user escalating the same guide twice within the duplicate window', () => {
  const SUPPORT = 'C0TICKETS';
  const ADDED =
    'You escalated this guide a moment ago, and that ticket is still open, so these details are added to it ' +
    'instead of filing a second ticket. You will get its link here.';

  let slack: SlackHarness;

  const json = (value: unknown) => JSON.stringify(value);
  const toSupport = () =>
    slack.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT);
  const noticesIn = (thread: string) =>
    slack.api.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === SLACK_CHANNEL &&
        c.args.thread_ts === thread &&
        /^(Filed as|Added to|Ticket filed)/.test(String(c.args.text)),
    );

  /** Clicks a button of the thread's card and waits for the card to be updated in place. */
  async function click(thread: string, label: string | RegExp): Promise<Card> {
    const updates = slack.api.of('chat.update').length;
    expect((await slack.click(slack.card(thread), label)).status).toBe(200);
    await slack.api.waitFor('chat.update', updates + 1);
    return slack.card(thread);
  }

  /** Mentions the bot, starts session-expiry, asks for help at once and submits the ticket form. */
  async function escalateInSlack(): Promise<{ thread: string; card: Card }> {
    const posts = slack.api.of('chat.postMessage').length;
    const { ts: thread } = await slack.mention('my session keeps expiring after a few minutes');
    await slack.api.waitFor('chat.postMessage', posts + 1);
    const offers = slack.threadMessages(thread)[0];
    if (!offers) throw new Error('no offers');
    await slack.click(offers, 'Start');
    await slack.api.waitFor('chat.postMessage', posts + 2);
    const form = await click(thread, 'I need help now');
    const modals = slack.api.of('views.open').length;
    await slack.click(form, /^Fill in/);
    await slack.api.waitFor('views.open', modals + 1);
    const updates = slack.api.of('chat.update').length;
    const submitted = await slack.submitModal(SESSION_EXPIRY_ANSWERS);
    expect(submitted.text).toBe('');
    await slack.api.waitFor('chat.update', updates + 1);
    const card = slack.card(thread);
    expect(card.text).toContain('Fix a session that expires fast');
    return { thread, card };
  }

  it('is told on the card the second time that it was added to the open ticket; the support channel gets it in the first ticket’s thread, and the thread is told "Added to …"', async () => {
    const folder = serverFolder();
    stops.push(() => folder.remove());
    slack = await SlackHarness.start({
      SLACK_SUPPORT_CHANNEL: SUPPORT,
      FIXPATH_CONFIG: folder.configFile,
      FIXPATH_TICKETS_DIR: folder.ticketsDir,
    });
    stops.push(() => slack.stop());

    const first = await escalateInSlack();
    expect(json(first.card.blocks)).not.toContain(ADDED);
    const [ticketPost] = await slack.api.waitUntil(
      (c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT,
    );
    expect(ticketPost?.args.thread_ts).toBeUndefined();
    const ticketTs = String(ticketPost?.reply.ts);
    const permalink = `https://acme.slack.test/archives/${SUPPORT}/p${ticketTs.replace('.', '')}`;
    const [filed] = await until(
      () => noticesIn(first.thread).length > 0 && noticesIn(first.thread),
      'the first notice',
    );
    expect(filed?.args.text).toBe(`Filed as a message in the support channel: ${permalink}`);

    const second = await escalateInSlack();
    expect(second.thread).not.toBe(first.thread);
    expect(json(second.card.blocks)).toContain(ADDED);

    const [, repeat] = await slack.api.waitUntil(
      (c) => c.method === 'chat.postMessage' && c.args.channel === SUPPORT,
      2,
    );
    expect(repeat?.args.thread_ts).toBe(ticketTs);
    expect(String(repeat?.args.text)).toMatch(/^Reported again: Ticket for /);
    const [added] = await until(
      () => noticesIn(second.thread).length > 0 && noticesIn(second.thread),
      'the second notice',
    );
    expect(added?.args.text).toBe(
      `Added to a message in the support channel, already open for this problem: ${permalink}`,
    );

    await settle();
    expect(toSupport().map((c) => c.args.thread_ts)).toEqual([undefined, ticketTs]);
    expect(noticesIn(first.thread)).toHaveLength(1);
    expect(noticesIn(second.thread)).toHaveLength(1);
    expect(folder.ticketFiles()).toEqual([]);
  });
});
