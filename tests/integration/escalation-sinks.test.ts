import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChannelSink, SlackChannelSink } from '../../src/adapters/slack/slack-channel-sink.ts';
import { type TeamsChannelPost, TeamsChannelSink } from '../../src/adapters/teams/teams-channel-sink.ts';
import type { TicketOutboxEntry } from '../../src/escalation/outbox.ts';
import { planOutboxEntries } from '../../src/escalation/plan-outbox-entries.ts';
import type { EscalationSink } from '../../src/escalation/sink.ts';
import { FileSink } from '../../src/escalation/sinks/file-sink.ts';
import { GitHubIssueSink } from '../../src/escalation/sinks/github-issue-sink.ts';
import { escalationLabel, JiraSink } from '../../src/escalation/sinks/jira-sink.ts';
import { WebhookSink } from '../../src/escalation/sinks/webhook-sink.ts';
import type { Ticket } from '../../src/escalation/ticket.ts';
import { adfProblems, plainText } from '../helpers/adf-problems.ts';
import { FakeHttpService } from '../helpers/fake-http-service.ts';
import { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { fakeGitHub, fakeJira, GITHUB_TOKEN, JIRA_EMAIL, JIRA_TOKEN } from '../helpers/fake-ticket-apis.ts';
import { ROOT } from '../helpers/guides.ts';
import { sampleTicket } from '../helpers/sample-ticket.ts';

// Each sink against the far side it talks to, faked on 127.0.0.1 (GitHub, Jira, a webhook receiver,
// Slack's Web API) or handed in (the Teams post): what it sends, what it records, and how it finds
// what an interrupted attempt filed.

const T0 = Date.parse('2026-03-02T09:00:00Z');
const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';
const SLACK_TOKEN = ['xoxb', '123', '456', 'abcdefghijklmnopqrstuvwx'].join('-');

const temp = mkdtempSync(join(tmpdir(), 'fixpath-sinks-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let folders = 0;

const services: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
async function started<S extends { start(): Promise<string>; stop(): Promise<void> }>(service: S) {
  const url = await service.start();
  services.push(service);
  return url;
}

/** An entry as the deliverer hands it to a sink: claimed, on its `attempts`th attempt. */
function entryFor(ticket: Ticket, sink: string, attempts = 1): TicketOutboxEntry {
  const [planned] = planOutboxEntries({ conversationKey: 'slack:T1:C1:1.2', ticket, sinks: [sink], now: T0 });
  if (!planned) throw new Error('no entry');
  return { ...planned, status: 'pending', attempts };
}

let ticket: Ticket;
let repeat: Ticket;
beforeAll(async () => {
  ticket = await sampleTicket({ problem: 'The deploy dashboard shows a blank page since noon.' });
  repeat = { ...(await sampleTicket({ problem: 'Still blank.' })), conversationId: 'second-conversation' };
});

describe('the file sink', () => {
  it('writes the ticket’s Markdown to a file named for its escalation, and rewrites that file on a repeat', async () => {
    const dir = join(temp, `tickets-${++folders}`, 'nested');
    const sink = new FileSink({ dir, files: fs });
    const result = await sink.deliver(entryFor(ticket, 'file'));
    const name = `${ticket.conversationId}-1.md`;
    expect(readdirSync(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe(ticket.markdown);
    expect(result).toEqual({
      externalId: name,
      url: pathToFileURL(join(dir, name)).href,
      label: name,
      details: { file: name, path: join(dir, name) },
    });
    await sink.deliver(entryFor(ticket, 'file', 2));
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('appends a repeat to the open ticket’s file once, however often it is sent', async () => {
    const dir = join(temp, `tickets-${++folders}`);
    const sink = new FileSink({ dir, files: fs });
    const target = await sink.deliver(entryFor(ticket, 'file'));
    await sink.comment(target, entryFor(repeat, 'file'));
    await sink.comment(target, entryFor(repeat, 'file', 2));
    const text = readFileSync(join(dir, String(target.externalId)), 'utf8');
    expect(text.startsWith(ticket.markdown.trimEnd())).toBe(true);
    expect(text.split('Reported again: escalation #1 of conversation `second-conversation`')).toHaveLength(2);
    expect(text).toContain('Still blank.');
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('the GitHub issue sink', () => {
  it('creates an issue with the title, the Markdown body, the guide and severity labels, and a hidden marker', async () => {
    const github = fakeGitHub();
    const apiUrl = await started(github.service);
    const sink = new GitHubIssueSink({ fetch, token: GITHUB_TOKEN, repository: 'acme/support', apiUrl });
    const result = await sink.deliver(entryFor(ticket, 'github'));
    const [create] = github.creates();
    expect(create?.headers).toMatchObject({
      authorization: `Bearer ${GITHUB_TOKEN}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    });
    const sent = JSON.parse(create?.body ?? '{}');
    expect(sent).toEqual({
      title: ticket.title,
      body: `${ticket.markdown.trimEnd()}\n\n<!-- fixpath-escalation: ${ticket.conversationId}:1 -->\n`,
      labels: ['other-problem', 'severity:normal'],
    });
    expect(result).toEqual({
      externalId: '1',
      url: 'https://github.test/acme/support/issues/1',
      label: 'acme/support#1',
      details: { number: 1, repository: 'acme/support' },
    });
  });

  it('finds the issue an interrupted attempt created by its marker, and nothing for another escalation', async () => {
    const github = fakeGitHub();
    const apiUrl = await started(github.service);
    const sink = new GitHubIssueSink({ fetch, token: GITHUB_TOKEN, repository: 'acme/support', apiUrl });
    await sink.deliver(entryFor(repeat, 'github'));
    const filed = await sink.deliver(entryFor(ticket, 'github'));
    expect(await sink.findExisting(entryFor(ticket, 'github', 2))).toEqual(filed);
    expect(
      await sink.findExisting(entryFor({ ...ticket, conversationId: 'never-filed' }, 'github', 2)),
    ).toBeUndefined();
    const [list] = github.service.of('GET', /^\/repos\/acme\/support\/issues\?/);
    const query = new URL(list?.url ?? '', 'http://x').searchParams;
    expect(query.get('state')).toBe('all');
    expect(query.get('since')).toBe(new Date(T0 - 5 * 60_000).toISOString());
  });

  it('adds a repeat as a comment on the open issue, found again by its own marker', async () => {
    const github = fakeGitHub();
    const apiUrl = await started(github.service);
    const sink = new GitHubIssueSink({ fetch, token: GITHUB_TOKEN, repository: 'acme/support', apiUrl });
    const target = await sink.deliver(entryFor(ticket, 'github'));
    const comment = await sink.comment(target, entryFor(repeat, 'github'));
    expect(github.issues[0]?.comments).toHaveLength(1);
    expect(github.issues[0]?.comments[0]?.body).toContain('**Reported again**');
    expect(github.issues[0]?.comments[0]?.body).toContain(
      '<!-- fixpath-escalation: second-conversation:1 -->',
    );
    expect(comment).toMatchObject({
      label: 'acme/support#1',
      url: expect.stringContaining('#issuecomment-'),
    });
    expect(await sink.findExisting(entryFor(repeat, 'github', 2), target)).toEqual(comment);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new GitHubIssueSink({ fetch, token: 't', repository: 'acme' })).toThrow(/owner\/name/);
  });
});

describe('the Jira sink', () => {
  it('creates an issue in the project with an ADF description and a label naming the escalation', async () => {
    const jira = fakeJira();
    const baseUrl = await started(jira.service);
    const sink = new JiraSink({ fetch, baseUrl, email: JIRA_EMAIL, apiToken: JIRA_TOKEN, projectKey: 'SUP' });
    const result = await sink.deliver(entryFor(ticket, 'jira'));
    const [create] = jira.service.of('POST', /^\/rest\/api\/3\/issue$/);
    const { fields } = JSON.parse(create?.body ?? '{}');
    expect(fields).toMatchObject({
      project: { key: 'SUP' },
      issuetype: { name: 'Task' },
      summary: ticket.title,
      labels: ['fixpath', 'fixpath-guide-other-problem', `fixpath-${ticket.conversationId}-1`],
    });
    expect(adfProblems(fields.description)).toEqual([]);
    expect(plainText(fields.description)).toContain('The deploy dashboard shows a blank page since noon.');
    expect(plainText(fields.description)).toContain(escalationLabel(ticket));
    expect(result).toEqual({
      externalId: 'SUP-1',
      url: `${baseUrl}/browse/SUP-1`,
      label: 'SUP-1',
      details: { key: 'SUP-1', id: '10001' },
    });
  });

  it('finds an issue an interrupted attempt created with JQL on that label', async () => {
    const jira = fakeJira();
    const baseUrl = await started(jira.service);
    const sink = new JiraSink({
      fetch,
      baseUrl,
      email: JIRA_EMAIL,
      apiToken: JIRA_TOKEN,
      projectKey: 'SUP',
      issueType: 'Bug',
    });
    const filed = await sink.deliver(entryFor(ticket, 'jira'));
    expect(await sink.findExisting(entryFor(ticket, 'jira', 2))).toEqual(filed);
    expect(await sink.findExisting(entryFor(repeat, 'jira', 2))).toBeUndefined();
    const [search] = jira.service.of('POST', /^\/rest\/api\/3\/search\/jql$/);
    expect(JSON.parse(search?.body ?? '{}')).toEqual({
      jql: `project = "SUP" AND labels = "fixpath-${ticket.conversationId}-1" ORDER BY created ASC`,
      fields: ['summary'],
      maxResults: 1,
    });
    expect(jira.issues[0]?.fields.issuetype).toEqual({ name: 'Bug' });
  });

  it('adds a repeat as an ADF comment, found again by its label', async () => {
    const jira = fakeJira();
    const baseUrl = await started(jira.service);
    const sink = new JiraSink({ fetch, baseUrl, email: JIRA_EMAIL, apiToken: JIRA_TOKEN, projectKey: 'SUP' });
    const target = await sink.deliver(entryFor(ticket, 'jira'));
    const comment = await sink.comment(target, entryFor(repeat, 'jira'));
    const body = jira.issues[0]?.comments[0]?.body;
    expect(adfProblems(body)).toEqual([]);
    expect(plainText(body as never)).toMatch(/^Reported again/);
    expect(comment).toEqual({
      externalId: '20001',
      url: `${baseUrl}/browse/SUP-1?focusedCommentId=20001`,
      label: 'SUP-1',
      details: { key: 'SUP-1', commentId: '20001' },
    });
    expect(await sink.findExisting(entryFor(repeat, 'jira', 2), target)).toEqual(comment);
  });
});

/** The verification function from docs/webhooks.md, run as a receiver would run it. */
async function documentedVerifier() {
  const doc = readFileSync(join(ROOT, 'docs', 'webhooks.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!snippet) throw new Error('docs/webhooks.md has no js snippet');
  const file = join(temp, `verify-${++folders}.mjs`);
  writeFileSync(file, snippet);
  const module = (await import(pathToFileURL(file).href)) as {
    verifyFixpathSignature(
      secret: string,
      header: string,
      rawBody: string,
      options?: { toleranceSeconds?: number; now?: number },
    ): boolean;
  };
  return module.verifyFixpathSignature;
}

describe('the webhook sink', () => {
  it('POSTs the ticket as JSON, signed by the documented scheme, with the idempotency key', async () => {
    const receiver = new FakeHttpService(() => ({
      body: { id: '10042', label: 'INC-42', url: 'https://tracker.example.com/INC-42' },
    }));
    const url = await started(receiver);
    const sink = new WebhookSink({
      fetch,
      url: `${url}/hooks/fixpath`,
      secret: WEBHOOK_SECRET,
      now: () => T0,
    });
    const result = await sink.deliver(entryFor(ticket, 'webhook'));
    const [request] = receiver.requests;
    expect(request?.url).toBe('/hooks/fixpath');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': `${ticket.conversationId}:1`,
      'x-fixpath-event': 'escalation.filed',
      'x-fixpath-signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
    });
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      type: 'escalation.filed',
      idempotencyKey: `${ticket.conversationId}:1`,
      ticket,
    });
    expect(result).toEqual({
      externalId: '10042',
      url: 'https://tracker.example.com/INC-42',
      label: 'INC-42',
      details: { status: 200 },
    });

    const verify = await documentedVerifier();
    const header = String(request?.headers['x-fixpath-signature']);
    const body = request?.body ?? '';
    expect(verify(WEBHOOK_SECRET, header, body, { now: T0 + 1_000 })).toBe(true);
    expect(verify(WEBHOOK_SECRET, header, Buffer.from(body) as unknown as string, { now: T0 })).toBe(true);
    expect(verify('another-secret-0123456789', header, body, { now: T0 })).toBe(false);
    expect(verify(WEBHOOK_SECRET, header, body.replace('blank page', 'blank pages'), { now: T0 })).toBe(
      false,
    );
    expect(verify(WEBHOOK_SECRET, header, body, { now: T0 + 6 * 60_000 })).toBe(false);
    expect(verify(WEBHOOK_SECRET, 'v1=00', body, { now: T0 })).toBe(false);
  });

  it('sends a repeat as escalation.linked naming the open ticket, and copes with an empty answer', async () => {
    const receiver = new FakeHttpService(() => ({ status: 204 }));
    const url = await started(receiver);
    const sink = new WebhookSink({ fetch, url, secret: WEBHOOK_SECRET, now: () => T0 });
    const target = { externalId: '10042', url: 'https://tracker.example.com/INC-42', label: 'INC-42' };
    const result = await sink.comment(target, entryFor(repeat, 'webhook'));
    const [request] = receiver.requests;
    expect(request?.headers['x-fixpath-event']).toBe('escalation.linked');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'escalation.linked', linkedTo: target });
    expect(result).toEqual({ externalId: 'second-conversation:1', details: { status: 204 } });
  });
});

describe('the Slack channel sink', () => {
  it('posts the Block Kit ticket to the support channel with metadata naming the escalation', async () => {
    const slack = new FakeSlackApi();
    const slackApiUrl = await started(slack);
    const client = new webApi.WebClient(SLACK_TOKEN, {
      slackApiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const sink = new SlackChannelSink({ client, channel: 'C0SUPPORT' });
    const result = await sink.deliver(entryFor(ticket, 'slack-channel'));
    // The conversation's key names its thread, whose permalink the ticket links back to.
    expect(slack.of('chat.getPermalink')[0]?.args).toMatchObject({ channel: 'C1', message_ts: '1.2' });
    const [post] = slack.of('chat.postMessage');
    expect(post?.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(post?.args).toMatchObject({
      channel: 'C0SUPPORT',
      text: expect.stringContaining('Ticket for Support'),
      metadata: { event_type: 'fixpath_escalation', event_payload: { key: `${ticket.conversationId}:1` } },
    });
    expect(JSON.stringify(post?.args.blocks)).toContain('https://acme.slack.test/archives/C1/p12');
    expect(result).toMatchObject({
      externalId: post?.reply.ts,
      url: expect.stringContaining('https://acme.slack.test/archives/C0SUPPORT/p'),
      details: { channel: 'C0SUPPORT', ts: post?.reply.ts },
    });

    slack.queue('conversations.history', {
      body: {
        ok: true,
        messages: [
          { ts: '1.1', text: 'other' },
          {
            ts: String(post?.reply.ts),
            metadata: {
              event_type: 'fixpath_escalation',
              event_payload: { key: `${ticket.conversationId}:1` },
            },
          },
        ],
      },
    });
    expect(await sink.findExisting(entryFor(ticket, 'slack-channel', 2))).toMatchObject({
      externalId: post?.reply.ts,
    });
    expect(slack.of('conversations.history')[0]?.args).toMatchObject({
      channel: 'C0SUPPORT',
      include_all_metadata: 'true',
    });
  });

  it('tells a rate limit (wait and retry) from a refusal (dead-letter)', async () => {
    const slack = new FakeSlackApi();
    const slackApiUrl = await started(slack);
    const sink = createSlackChannelSink({ botToken: SLACK_TOKEN, apiUrl: slackApiUrl, channel: 'C0SUPPORT' });
    slack.queue('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { ok: false, error: 'ratelimited' },
    });
    await expect(sink.deliver(entryFor(ticket, 'slack-channel'))).rejects.toMatchObject({
      code: 'sink_unavailable',
      retryAfterMs: 7_000,
    });
    slack.queue('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await expect(sink.deliver(entryFor(ticket, 'slack-channel'))).rejects.toMatchObject({
      code: 'sink_refused',
    });
  });
});

describe('the Teams channel sink', () => {
  it('posts the ticket card, replies under it for a repeat, and tells throttling from refusal', async () => {
    const posts: TeamsChannelPost[] = [];
    let failWith: number | undefined;
    const sink = new TeamsChannelSink({
      post: async (post) => {
        if (failWith) throw Object.assign(new Error(`HTTP ${failWith}`), { statusCode: failWith });
        posts.push(post);
        return { id: `activity-${posts.length}` };
      },
    });
    const target = await sink.deliver(entryFor(ticket, 'teams-channel'));
    expect(target).toMatchObject({ externalId: 'activity-1', details: { activityId: 'activity-1' } });
    expect(posts[0]?.card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(posts[0]?.card)).toContain('The deploy dashboard shows a blank page since noon.');
    await sink.comment(target, entryFor(repeat, 'teams-channel'));
    expect(posts[1]?.replyTo).toBe('activity-1');
    failWith = 429;
    await expect(sink.deliver(entryFor(ticket, 'teams-channel'))).rejects.toMatchObject({
      code: 'sink_unavailable',
    });
    failWith = 403;
    await expect(sink.deliver(entryFor(ticket, 'teams-channel'))).rejects.toMatchObject({
      code: 'sink_refused',
    });
  });
});

// Realistic secrets, assembled at run time so this file holds nothing a scanner would flag.
const fake = (length: number, alphabet = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8x') =>
  alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
const SECRETS = {
  slackBot: `${'xox'}${'b-'}1234567890-9876543210123-${fake(24)}`,
  github: `${'gh'}${'p_'}${fake(36)}`,
  awsKeyId: `${'AK'}${'IA'}${fake(16, 'QWERTY234567')}`,
  awsSecret: `${fake(20)}/${fake(19, 'Zz9+')}`,
  jwt: `${'ey'}${'J'}hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${'ey'}${'J'}zdWIiOiJ1MTIzIn0.${fake(43, 'Ab_-9')}`,
  stripe: `${'sk'}${'_live_'}${fake(24)}`,
  urlPassword: 'Sup3r-S3cret-Pw',
  bearer: fake(40, 'Zq8Yw7Xv6'),
  keyBody: fake(64, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'),
  dbPassword: 'hunter2-Very-Secret',
};

describe('secrets typed into a ticket', () => {
  it('reach no sink: every format is built from the redacted ticket', async () => {
    const pem = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
    const pemEnd = ['-----END', 'PRIVATE KEY-----'].join(' ');
    const secretTicket = await sampleTicket({
      problem: [
        `Deploy fails. SLACK_BOT_TOKEN=${SECRETS.slackBot} and GITHUB_TOKEN=${SECRETS.github}`,
        `aws_access_key_id = ${SECRETS.awsKeyId}`,
        `aws_secret_access_key = ${SECRETS.awsSecret}`,
        `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://api.example.com`,
        `${pem}\n${SECRETS.keyBody}\n${pemEnd}`,
      ].join('\n'),
      started: `since the jwt ${SECRETS.jwt} expired`,
      tried: `postgres://app:${SECRETS.urlPassword}@db.internal:5432/app, password: ${SECRETS.dbPassword}, stripe ${SECRETS.stripe}`,
    });
    expect(secretTicket.markdown).toContain('[redacted: ');

    const github = fakeGitHub();
    const jira = fakeJira();
    const receiver = new FakeHttpService(() => ({ status: 202 }));
    const slack = new FakeSlackApi();
    const [githubUrl, jiraUrl, webhookUrl, slackApiUrl] = await Promise.all([
      started(github.service),
      started(jira.service),
      started(receiver),
      started(slack),
    ]);
    const dir = join(temp, `secrets-${++folders}`);
    const teamsPosts: TeamsChannelPost[] = [];
    const sinks: EscalationSink[] = [
      new FileSink({ dir, files: fs }),
      new GitHubIssueSink({ fetch, token: GITHUB_TOKEN, repository: 'acme/support', apiUrl: githubUrl }),
      new JiraSink({
        fetch,
        baseUrl: jiraUrl ?? '',
        email: JIRA_EMAIL,
        apiToken: JIRA_TOKEN,
        projectKey: 'SUP',
      }),
      new WebhookSink({ fetch, url: webhookUrl ?? '', secret: WEBHOOK_SECRET }),
      new SlackChannelSink({
        client: new webApi.WebClient(SLACK_TOKEN, { slackApiUrl, retryConfig: { retries: 0 } }),
        channel: 'C0SUPPORT',
      }),
      new TeamsChannelSink({
        post: async (post) => {
          teamsPosts.push(post);
          return { id: 'a1' };
        },
      }),
    ];
    const results = [];
    for (const sink of sinks) results.push(await sink.deliver(entryFor(secretTicket, sink.name)));

    const bodies: Record<string, string> = {
      file: readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n'),
      github: github.service.requests.map((r) => r.body).join('\n'),
      jira: jira.service.requests.map((r) => r.body).join('\n'),
      webhook: receiver.requests.map((r) => r.body).join('\n'),
      slack: JSON.stringify(slack.calls.map((c) => c.args)),
      teams: JSON.stringify(teamsPosts),
    };
    for (const [where, body] of Object.entries(bodies)) {
      expect(body, where).toContain('Deploy fails.'); // the ticket did arrive
      for (const [kind, secret] of Object.entries(SECRETS)) {
        expect(body.includes(secret), `${kind} reached ${where}`).toBe(false);
      }
    }
    for (const [kind, secret] of Object.entries(SECRETS)) {
      expect(JSON.stringify(results).includes(secret), `${kind} reached a recorded result`).toBe(false);
    }
  });
});
