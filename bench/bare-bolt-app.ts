/**
 * The baseline of the end-to-end benchmark: a Bolt app with the same receiver fixpath uses (Bolt's
 * HTTPReceiver at /slack/events, verifying signatures, acknowledging before the listener's work),
 * mounted on a plain HTTP server like fixpath's. Each click is acknowledged and answered with one
 * `chat.update` of fixed blocks: what any Slack app does, without a conversation behind it.
 * Configured by BENCH_* variables; prints one JSON line with its URL once it serves.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, HTTPReceiver } from '@slack/bolt';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const card = JSON.parse(readFileSync(env('BENCH_CARD_FILE'), 'utf8')) as { text: string; blocks: [] };

const receiver = new HTTPReceiver({
  signingSecret: env('BENCH_SIGNING_SECRET'),
  endpoints: '/slack/events',
  processBeforeResponse: false,
});
const app = new App({
  token: env('BENCH_BOT_TOKEN'),
  receiver,
  clientOptions: { slackApiUrl: env('BENCH_SLACK_API_URL') },
  deferInitialization: true,
});
app.action<BlockAction>(/^fp:/, async ({ ack, body, client }) => {
  await ack();
  if (!body.channel || !body.message) return;
  await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...card });
});
await app.init();

const server = createServer((req, res) => receiver.requestListener(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
console.log(JSON.stringify({ msg: 'bare Bolt app is serving', url: `http://127.0.0.1:${port}` }));
