// The web playground's API on a real server at 127.0.0.1, wired as the composition root wires it: the
// real guides, the engine over a real SQLite store, and the Slack and Teams renderers and readers. Clicks
// are sent the way the page sends them: the data of a Teams card action, a Slack button's block and
// value, a Slack modal's state values.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnPayload } from '../../src/adapters/web/run-web-turn.ts';
import { ROOT } from '../helpers/guides.ts';
import { startPlayground } from '../helpers/web-playground.ts';

let playground: Awaited<ReturnType<typeof startPlayground>>;
let url: string;

beforeAll(async () => {
  playground = await startPlayground();
  url = playground.url;
});
afterAll(() => playground.close());

const JSON_HEADERS = { 'content-type': 'application/json' };

async function post(path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) {
  return fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A turn the page would run: the response must be a 2xx turn payload. */
async function turn(path: string, body: unknown): Promise<TurnPayload> {
  const res = await post(path, body);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await res.json()) as TurnPayload;
}

const start = (flowId: string) => turn('/api/conversations', { flowId });
const send = (current: TurnPayload, body: unknown) => turn(`/api/conversations/${current.id}/events`, body);

type Json = Record<string, unknown>;

/** Every object in a JSON tree, depth first. */
function* objects(value: unknown): Generator<Json> {
  if (Array.isArray(value)) for (const item of value) yield* objects(item);
  else if (typeof value === 'object' && value !== null) {
    yield value as Json;
    for (const item of Object.values(value)) yield* objects(item);
  }
}

/** The data a click on the Teams card's button `title` sends (an Action.Execute, as Teams reads it). */
function teamsClick(payload: TurnPayload, title: string, inputs: Json = {}): { teams: Json } {
  const action = [...objects(payload.teams)].find((o) => o.type === 'Action.Execute' && o.title === title);
  if (!action) throw new Error(`no Teams action "${title}" on the card of step ${payload.view.step.id}`);
  return { teams: { ...(action.data as Json), ...inputs } };
}

/** The `block_actions` action a click on the Slack button `label` sends. */
function slackClick(payload: TurnPayload, label: string | RegExp): { slack: Json } {
  const blocks = (payload.slack as { blocks: Json[] }).blocks;
  for (const block of blocks) {
    for (const element of [...((block.elements as Json[]) ?? []), block.accessory as Json | undefined]) {
      const text = (element?.text as { text?: string } | undefined)?.text ?? '';
      if (element?.type === 'button' && (typeof label === 'string' ? text === label : label.test(text))) {
        return { slack: { block_id: block.block_id, action_id: element.action_id, value: element.value } };
      }
    }
  }
  throw new Error(`no Slack button "${label}" in the message of step ${payload.view.step.id}`);
}

/** The Slack FAQ select with the option `value` chosen. */
function slackSelect(payload: TurnPayload, value: string): { slack: Json } {
  const blocks = (payload.slack as { blocks: Json[] }).blocks;
  for (const block of blocks) {
    const select = ((block.elements as Json[]) ?? []).find((e) => e.type === 'static_select');
    if (select)
      return { slack: { block_id: block.block_id, action_id: select.action_id, selected_option: { value } } };
  }
  throw new Error('no select in the Slack message');
}

/** A Slack modal's `view.state.values` for the modal in `payload`, filled with `values` by block id. */
function modalState(payload: TurnPayload, values: Record<string, string>): Json {
  const modal = payload.slackModal as { blocks: Json[] };
  const state: Json = {};
  for (const block of modal.blocks.filter((b) => b.type === 'input')) {
    const element = block.element as Json;
    const value = values[block.block_id as string] ?? '';
    state[block.block_id as string] = {
      [element.action_id as string]:
        element.type === 'static_select' || element.type === 'radio_buttons'
          ? { type: element.type, selected_option: value ? { value } : null }
          : { type: element.type, value },
    };
  }
  return {
    slackModal: {
      values: state,
      revision: payload.view.revision,
      conversationId: payload.view.conversationId,
    },
  };
}

const text = (value: unknown) => JSON.stringify(value);

describe('the playground page and assets', () => {
  it('serves the page with a script policy that runs only its own files, and no inline script', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(scripts.every((attrs) => /\bsrc="\/assets\//.test(attrs))).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves its own modules, Mermaid, and the Adaptive Cards renderer that knows Action.Execute', async () => {
    for (const asset of ['playground.js', 'slack-preview.js', 'teams-card.js', 'playground.css']) {
      const res = await fetch(`${url}/assets/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    const mermaid = await fetch(`${url}/assets/vendor/mermaid.min.js`);
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const cards = await fetch(`${url}/assets/vendor/adaptivecards.min.js`);
    expect(cards.status).toBe(200);
    // Universal Actions arrived in version 2 of the renderer; fixpath's cards use them for every button.
    expect(await cards.text()).toContain('Action.Execute');
  });

  it('serves every file of its assets folder and everything the page and its modules load', async () => {
    const folder = join(ROOT, 'src', 'adapters', 'web', 'assets');
    const files = readdirSync(folder).filter((f) => f !== 'index.html');
    const html = await (await fetch(`${url}/`)).text();
    const linked = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '');
    const imported = files
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) =>
        [...readFileSync(join(folder, f), 'utf8').matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1] ?? ''),
      );
    expect(linked).toEqual(
      expect.arrayContaining(['playground.css', 'playground.js', 'vendor/mermaid.min.js']),
    );
    for (const asset of new Set([...files, ...linked, ...imported])) {
      expect((await fetch(`${url}/assets/${asset}`)).status, asset).toBe(200);
    }
  });

  it('serves nothing outside its list of assets, and leaves other paths to the caller', async () => {
    for (const path of [
      '/assets/nope.js',
      '/assets/constructor',
      '/assets/%2e%2e/package.json',
      '/assets/index.html',
    ]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
    for (const path of ['/api/messages', '/slack/events', '/healthz', '/package.json']) {
      const res = await fetch(`${url}${path}`);
      expect(await res.text(), path).toBe('not ours\n');
    }
  });

  it('answers only to loopback host names, so another site cannot reach it through DNS', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${url}/api/guides`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status('attacker.example:3978')).toBe(403);
    expect(await status('localhost:3978')).toBe(200);
    expect(await status('127.0.0.1')).toBe(200);
  });
});

describe('the guide API', () => {
  it('lists every guide and ranks guides for what a person typed', async () => {
    const { guides } = (await (await fetch(`${url}/api/guides`)).json()) as { guides: Array<{ id: string }> };
    expect(guides.map((g) => g.id)).toEqual(
      expect.arrayContaining(['session-expiry', 'cors-error', 'tls-certificate', 'other-problem']),
    );
    const q = encodeURIComponent('users keep getting logged out after a few minutes');
    const { matches } = (await (await fetch(`${url}/api/guides/match?q=${q}`)).json()) as {
      matches: Array<{ flowId: string }>;
    };
    expect(matches[0]?.flowId).toBe('session-expiry');
    const empty = (await (await fetch(`${url}/api/guides/match?q=`)).json()) as { matches: unknown[] };
    expect(empty.matches).toEqual([]);
  });

  it('draws a guide as Mermaid with the asked step highlighted', async () => {
    const res = await fetch(`${url}/api/guides/session-expiry/graph?current=verify`);
    expect(res.status).toBe(200);
    const graph = await res.text();
    expect(graph).toMatch(/^stateDiagram-v2\n/);
    expect(graph).toContain('class s_verify current');
    expect((await fetch(`${url}/api/guides/session-expiry/graph?current=nope`)).status).toBe(400);
    expect((await fetch(`${url}/api/guides/nope/graph`)).status).toBe(404);
  });
});

describe('a conversation driven through the playground', () => {
  it('walks session-expiry to a resolution from both surfaces, with back, a stale card and start over', async () => {
    let now = await start('session-expiry');
    expect(now.outcome).toBe('applied');
    expect(now.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(now.view.step.id).toBe('triage');
    expect((now.teams as Json).type).toBe('AdaptiveCard');
    expect((now.slack as { text: string }).text).toBe(
      'Fix a session that expires fast: Quick triage — pick your path',
    );
    expect(now.mermaid).toContain('class s_triage current');
    expect(now.slackModal).toBeNull();

    now = await send(now, teamsClick(now, 'Fix server timeout'));
    expect(now.view.step.id).toBe('fix-server-timeout');
    expect(now.mermaid).toContain('class s_fix_server_timeout current');
    const staleClick = slackClick(now, 'Session lasts as expected');
    now = await send(now, staleClick);
    expect(now.view.step.id).toBe('verify');

    // Back, through the plain event API with the card's revision.
    now = await send(now, {
      event: { type: 'back' },
      revision: now.view.revision,
      conversationId: now.view.conversationId,
    });
    expect(now.outcome).toBe('applied');
    expect(now.view.step.id).toBe('fix-server-timeout');
    // The Slack button of two cards ago is out of date: nothing changes.
    const stale = await send(now, staleClick);
    expect(stale.outcome).toBe('stale');
    expect(stale.view.step.id).toBe('fix-server-timeout');

    // Start over sits in the Teams card's overflow menu while the guide runs.
    now = await send(now, teamsClick(now, 'Start over'));
    expect(now.view.step.id).toBe('triage');
    expect(now.view.history).toEqual([]);

    now = await send(now, slackClick(now, 'Fix server timeout'));
    now = await send(now, teamsClick(now, 'Session lasts as expected'));
    now = await send(now, slackClick(now, 'All three hold'));
    expect(now.view.status).toBe('resolved');
    expect(now.mermaid).toContain('class s_resolved current');
    expect(playground.turns.some((t) => t.effects?.some((f) => f.type === 'resolved'))).toBe(true);
    expect(await playground.metrics.render()).toContain(
      'fixpath_resolutions_total{platform="web",flow="session-expiry"} 1',
    );

    now = await send(now, teamsClick(now, 'Yes'));
    expect(now.view.feedback?.given).toBe(true);
    expect(text(now.slack)).toContain('Thanks for your feedback.');

    // A reload asks the server where the conversation is.
    const shown = (await (await fetch(`${url}/api/conversations/${now.id}`)).json()) as TurnPayload;
    expect(shown.outcome).toBe('unchanged');
    expect(shown.view.revision).toBe(now.view.revision);
  });

  it('walks it to an escalation with an FAQ, an invalid then a valid form, and shows the ticket', async () => {
    let now = await start('session-expiry');
    now = await send(now, teamsClick(now, 'Fix session store'));
    now = await send(now, slackClick(now, /^Still expires: check the session cookie/));
    now = await send(now, teamsClick(now, 'Still expires: check the load balancer'));
    expect(now.view.step.id).toBe('fix-load-balancer');

    now = await send(now, slackSelect(now, 'load-balancer'));
    expect(now.view.faqAnswer?.question).toBe('Can a load balancer cause session expiry?');
    expect(text(now.slack)).toContain('each request may hit a different server');
    expect(text(now.teams)).toContain('each request may hit a different server');

    now = await send(now, slackClick(now, /^Cannot change load balancer/));
    expect(now.view.step).toEqual({ id: 'escalate-infrastructure', type: 'escalate', phase: 'collect' });
    expect(now.view.form?.fields.map((f) => f.id)).toContain('session_timeout');

    // Slack's form button: a `show` turn, and the modal opens on the current card.
    const opened = await send(now, slackClick(now, /^Fill in/));
    expect(opened.outcome).toBe('unchanged');
    expect(opened.openSlackModal).toBe(true);
    expect((opened.slackModal as Json).type).toBe('modal');

    const answers = {
      store_type: 'redis',
      store_ttl: '1800',
      lb_type: 'aws',
      sticky_sessions: 'no',
      cookie_max_age: 'Session',
    };
    const refused = await send(opened, modalState(opened, { ...answers, session_timeout: 'forever' }));
    expect(refused.outcome).toBe('invalid');
    expect(refused.openSlackModal).toBe(false);
    expect(refused.view.form?.errors.session_timeout).toMatch(/duration/);
    expect(text(refused.teams)).toContain(refused.view.form?.errors.session_timeout);
    expect(refused.view.status).toBe('active');

    // The valid answers come from the Teams card's form, its inputs merged into the submit's data.
    const filed = await send(
      refused,
      teamsClick(refused, refused.view.form?.submitLabel ?? '', {
        'field:session_timeout': '30m',
        'field:store_type': 'redis',
        'field:store_ttl': '1800',
        'field:lb_type': 'aws',
        'field:sticky_sessions': 'false',
        'field:cookie_max_age': 'Session',
      }),
    );
    expect(filed.view.status).toBe('escalated');
    expect(filed.view.ticket?.team).toBe('Infrastructure');
    expect(
      filed.view.ticket?.capture.find((c) => c.label === 'Session timeout value in app config')?.value,
    ).toBe('30m');
    expect(text(filed.slack)).toContain(':ticket:');
    expect(text(filed.teams)).toContain(`Ticket: ${filed.view.ticket?.title}`);
    // The composition root's observer heard of the escalation (it wakes the outbox on it).
    const escalated = playground.turns
      .flatMap((t) => t.effects ?? [])
      .filter((f) => f.type === 'escalated' && f.conversationId === filed.view.conversationId);
    expect(escalated).toHaveLength(1);
  });

  it('asks for the ticket details, filing nothing yet, when "I need help now" is clicked in Slack', async () => {
    let now = await start('session-expiry');
    now = await send(now, slackClick(now, 'I need help now'));
    expect(now.view.step.phase).toBe('collect');
    expect(now.view.ticket).toBeNull();
  });

  it('keeps typed text inert in every rendering: Slack mrkdwn, the Teams card, the diagram', async () => {
    const hostile =
      '<img src=x onerror="alert(1)"> <script>alert(2)</script> *bold* _it_ [link](https://evil.example) <@U0123ABCD> <!channel> &amp; \\*';
    let now = await start('session-expiry');
    now = await send(now, slackClick(now, 'I need help now'));
    const opened = await send(now, slackClick(now, /^Fill in/));
    const filed = await send(
      opened,
      modalState(opened, {
        session_timeout: '30m',
        store_type: 'redis',
        lb_type: 'none',
        cookie_max_age: hostile,
      }),
    );
    expect(filed.view.status).toBe('escalated');
    // The neutral view keeps what was typed; each renderer makes it inert for its surface.
    expect(text(filed.view)).toContain(JSON.stringify(hostile).slice(1, -1));

    const slack = text(filed.slack);
    expect(slack).toContain('&lt;img src=x onerror=\\"alert(1)\\"&gt;');
    expect(slack).toContain('&lt;@U0123ABCD&gt;');
    expect(slack).toContain('&lt;!channel&gt;');
    expect(slack).not.toContain('<img');
    expect(slack).not.toContain('<script');
    expect(slack).not.toContain('<@U0123ABCD>');
    expect(slack).not.toContain('<!channel>');

    const teams = text(filed.teams);
    expect(teams).toContain('\\\\<img');
    expect(teams).toContain('\\\\*bold\\\\*');
    expect(teams).toContain('\\\\[link\\\\](https://evil.example)');
    expect(teams).not.toMatch(/[^\\]<img/);
    expect(teams).not.toMatch(/[^\\]\[link\]/);

    expect(filed.mermaid).not.toContain('img');
    expect(filed.mermaid).not.toContain('evil.example');
  });
});

describe('requests the playground refuses', () => {
  it('refuses bodies that are not JSON, requests from other sites, and malformed clicks', async () => {
    expect(
      (await post('/api/conversations', { flowId: 'session-expiry' }, { 'content-type': 'text/plain' }))
        .status,
    ).toBe(415);
    const foreign = await post(
      '/api/conversations',
      { flowId: 'session-expiry' },
      { ...JSON_HEADERS, origin: 'http://attacker.example' },
    );
    expect(foreign.status).toBe(403);
    const now = await start('session-expiry');
    const events = `/api/conversations/${now.id}/events`;
    for (const body of [
      { teams: { fixpath: { c: 'x', v: 'one', e: { type: 'back' } } } },
      { slack: { block_id: 'not-fixpath', action_id: 'fp:back', value: '{"type":"back"}' } },
      { event: { type: 'submit', values: { 'bad id!': 'x' } } },
      { event: { type: 'explode' } },
      [],
    ]) {
      const res = await post(events, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
    const broken = await fetch(`${url}${events}`, { method: 'POST', headers: JSON_HEADERS, body: '{' });
    expect(broken.status).toBe(400);
  });

  it('answers a guide it does not have with 404, and a conversation it never had as expired', async () => {
    const res = await post('/api/conversations', { flowId: 'no-such-guide' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('flow_not_found');
    const missing = await turn('/api/conversations/00000000-0000-4000-8000-000000000000/events', {
      event: { type: 'back' },
    });
    expect(missing.outcome).toBe('expired');
    expect((await fetch(`${url}/api/conversations/not-a-uuid/events`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/api/conversations`)).status).toBe(405);
  });
});
