import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackHarness } from '../helpers/slack-harness.ts';
import {
  CHANNEL,
  eventCallback,
  interactionBody,
  slackSignature,
  TEAM,
  USER,
} from '../helpers/slack-requests.ts';

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.api.calls.length = 0;
});

const json = (value: unknown) => JSON.stringify(value);
const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

describe('the ways into fixpath from Slack', () => {
  it('offers matching guides in the thread of a new message in a support channel, with a way to file a ticket', async () => {
    const { ts } = await slack.message('Getting 502 Bad Gateway from nginx since the deploy', {
      channel: 'C0INTAKE',
    });
    const [reply] = await slack.api.waitFor('chat.postMessage');
    expect(reply?.args.thread_ts).toBe(ts);
    expect(json(reply?.args.blocks)).toContain('Fix 502/504 errors');
    expect(json(reply?.args.blocks)).toContain('None of these: file a ticket');
  });

  it('stays quiet on thread replies in a support channel and on channels that are not support channels', async () => {
    await slack.message('502 again', { channel: 'C0RANDOM' });
    const event = {
      type: 'message',
      user: USER,
      text: 'still 502',
      ts: '1700200000.000100',
      thread_ts: '1700100000.000100',
      channel: 'C0INTAKE',
      channel_type: 'channel',
      team: TEAM,
    };
    await slack.send(eventCallback(event), 'application/json');
    await settle();
    expect(slack.api.of('chat.postMessage')).toHaveLength(0);
  });

  it('answers a direct message with guide offers', async () => {
    const { ts } = await slack.message('the TLS certificate has expired', {
      channel: 'D0ADA',
      channelType: 'im',
    });
    const [reply] = await slack.api.waitFor('chat.postMessage');
    expect(reply?.args).toMatchObject({ channel: 'D0ADA', thread_ts: ts });
    expect(json(reply?.args.blocks)).toContain('Fix a TLS certificate error');
  });

  it('answers the slash command with offers that name who asked, in the channel', async () => {
    const response = await slack.slashCommand('login redirect loop with okta');
    expect(response.status).toBe(200);
    const [post] = await slack.api.waitFor('chat.postMessage');
    expect(post?.args.channel).toBe(CHANNEL);
    expect(post?.args.thread_ts).toBeUndefined();
    expect(json(post?.args.blocks)).toContain(`<@${USER}> asked for help.`);
    expect(json(post?.args.blocks)).toContain('Fix an SSO/OAuth login loop');
  });

  it('offers guides in the thread of a message picked with the "Troubleshoot this" shortcut', async () => {
    const payload = {
      type: 'message_action',
      callback_id: 'fixpath_troubleshoot',
      trigger_id: '1337.1.shortcut',
      message_ts: '1700300000.000100',
      response_url: 'https://hooks.slack.test/app/T0ACME/1/abc',
      message: {
        type: 'message',
        user: 'U0GRACE',
        ts: '1700300000.000100',
        text: 'CORS error: no Access-Control-Allow-Origin header',
      },
      user: { id: USER, name: 'ada', team_id: TEAM },
      channel: { id: CHANNEL, name: 'support' },
      team: { id: TEAM, domain: 'acme' },
      token: 'legacy-verification-token',
      action_ts: '1700300001.000200',
    };
    expect((await slack.send(interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(
      200,
    );
    const [reply] = await slack.api.waitFor('chat.postMessage');
    expect(reply?.args.thread_ts).toBe('1700300000.000100');
    expect(json(reply?.args.blocks)).toContain('Fix a CORS error in the browser');
  });

  it('starts the "file a ticket" guide from "None of these"', async () => {
    const { ts } = await slack.mention('the printer is on fire');
    await slack.api.waitFor('chat.postMessage');
    const offers = slack.threadMessages(ts)[0];
    if (!offers) throw new Error('no offers');
    expect(json(offers.blocks)).toContain('No guide matches that yet.');
    await slack.click(offers, 'File a ticket');
    await slack.api.waitFor('chat.postMessage', 2);
    expect(slack.card(ts).text).toContain('Something else: file a ticket');
  });

  it('quotes what was typed back without letting it mention anyone or link anywhere', async () => {
    const { ts } = await slack.mention('<!channel> session <https://evil.test|click> expiring & <@U0BOSS>');
    const [reply] = await slack.api.waitFor('chat.postMessage');
    expect(reply?.args.thread_ts).toBe(ts);
    const text = json(reply?.args.blocks);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.test|click>');
  });

  it("publishes App Home with the guides and a link to each of the user's conversations", async () => {
    const { ts } = await slack.mention('my session keeps expiring');
    await slack.api.waitFor('chat.postMessage');
    const offers = slack.threadMessages(ts)[0];
    if (!offers) throw new Error('no offers');
    await slack.click(offers, 'Start');
    await slack.api.waitFor('chat.postMessage', 2);
    await slack.send(
      eventCallback({
        type: 'app_home_opened',
        user: USER,
        channel: 'D0ADA',
        tab: 'home',
        event_ts: '1700400000.1',
      }),
      'application/json',
    );
    const [home] = await slack.api.waitFor('views.publish');
    const view = json(home?.args.view);
    expect(home?.args.user_id).toBe(USER);
    expect(view).toContain('Fix a TLS certificate error');
    expect(view).toContain(`/archives/${CHANNEL}/p${ts.replace('.', '')}|Fix a session that expires fast>`);
  });
});

describe('deliveries Slack repeats or that are not Slack at all', () => {
  it('replies once to an event that Slack retried', async () => {
    const event = {
      type: 'app_mention',
      user: USER,
      text: '<@UFIXPATH> 504 gateway timeout',
      ts: '1700500000.000100',
      channel: CHANNEL,
      team: TEAM,
    };
    const body = eventCallback(event, 'Ev0RETRIED01');
    await slack.send(body, 'application/json');
    const retry = await slack.send(body, 'application/json', { retryNum: 1 });
    expect(retry.status).toBe(200);
    await slack.api.waitFor('chat.postMessage');
    await settle();
    expect(slack.api.of('chat.postMessage')).toHaveLength(1);
  });

  it('replies once to a mention that also arrives as a channel message', async () => {
    const ts = '1700600000.000100';
    await slack.mention('certificate expired', { channel: 'C0INTAKE', ts });
    await slack.message('<@UFIXPATH> certificate expired', { channel: 'C0INTAKE', ts });
    await slack.api.waitFor('chat.postMessage');
    await settle();
    expect(slack.api.of('chat.postMessage')).toHaveLength(1);
  });

  it('refuses a forged signature, an old timestamp and a timestamp from the future, and does nothing', async () => {
    const body = eventCallback({
      type: 'app_mention',
      user: USER,
      text: '<@UFIXPATH> help',
      ts: '1700700000.1',
      channel: CHANNEL,
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = await slack.send(body, 'application/json', {
      signature: slackSignature(body, now, 'not-the-secret'),
    });
    const old = await slack.send(body, 'application/json', { timestamp: now - 6 * 60 });
    const future = await slack.send(body, 'application/json', { timestamp: now + 6 * 60 });
    expect([forged.status, old.status, future.status]).toEqual([401, 401, 401]);
    await settle();
    expect(slack.api.calls).toHaveLength(0);
  });

  it('acknowledges a button it no longer knows and explains, instead of failing the click', async () => {
    const payload = {
      type: 'block_actions',
      user: { id: USER, username: 'ada', name: 'ada', team_id: TEAM },
      team: { id: TEAM, domain: 'acme' },
      channel: { id: CHANNEL, name: 'support' },
      container: { type: 'message', message_ts: '1700800000.1', channel_id: CHANNEL },
      message: { type: 'message', ts: '1700800000.1', text: 'old card', blocks: [] },
      trigger_id: '1337.9.x',
      api_app_id: 'A0FIXPATH',
      token: 'legacy-verification-token',
      response_url: 'https://hooks.slack.test/actions/1',
      actions: [
        {
          type: 'button',
          action_id: 'fp:legacy-v0',
          block_id: 'old-block',
          value: 'x',
          action_ts: '1700800001.1',
        },
      ],
    };
    const response = await slack.send(interactionBody(payload), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    const [note] = await slack.api.waitFor('chat.postEphemeral');
    expect(note?.args.text).toMatch(/older version of fixpath/);
  });
});

describe('Slack rate limits', () => {
  it('waits out a 429 on chat.update and then updates the card, having acknowledged the click at once', async () => {
    const { ts } = await slack.mention('my session keeps expiring');
    await slack.api.waitFor('chat.postMessage');
    const offers = slack.threadMessages(ts)[0];
    if (!offers) throw new Error('no offers');
    await slack.click(offers, 'Start');
    await slack.api.waitFor('chat.postMessage', 2);
    slack.api.queue('chat.update', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const clicked = await slack.click(slack.card(ts), 'Fix session store');
    expect(clicked.status).toBe(200);
    expect(slack.api.of('chat.update').length).toBeLessThanOrEqual(1);
    const updates = await slack.api.waitFor('chat.update', 2);
    expect(updates.map((u) => u.reply.ok)).toEqual([false, true]);
    expect(updates[1]?.args.ts).toBe(updates[0]?.args.ts);
    expect(slack.card(ts).text).toContain('Fix session store');
  });
});
