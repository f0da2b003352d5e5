import { describe, expect, it } from 'vitest';
import { readTeamsActivity } from '../../../../src/adapters/teams/read-teams-activity.ts';
import { readTeamsCommand } from '../../../../src/adapters/teams/read-teams-command.ts';
import { teamsPlace } from '../../../../src/adapters/teams/teams-conversation-key.ts';
import {
  botAdded,
  CHANNEL,
  channelThread,
  GROUP_CHAT,
  groupChat,
  invoke,
  message,
  PERSONAL_CONVERSATION,
  personalChat,
  submit,
  TENANT_ID,
} from '../../../helpers/teams-activities.ts';

const SERVICE = 'https://smba.trafficmanager.net/emea/';
const DATA = { fixpath: { c: 'c-1', v: 3, f: 'session-expiry', e: { type: 'choose', choice: 'refresh' } } };

describe('reading a Teams activity', () => {
  it('takes the bot mention out of typed text, keeps other people as names, decodes entities', () => {
    const typed = message(
      channelThread(SERVICE, '1'),
      'ask <at>Grace Hopper</at> about R&amp;D&nbsp;logins',
      {
        mention: true,
      },
    );
    expect(readTeamsActivity(typed)).toEqual({ kind: 'text', text: 'ask Grace Hopper about R&D logins' });
  });

  it('reads an Action.Execute invoke of fixpath as a click answered by invoke', () => {
    const clicked = invoke(personalChat(SERVICE), DATA, { replyToId: '1772442000001' });
    expect(readTeamsActivity(clicked)).toEqual({
      kind: 'click',
      via: 'invoke',
      action: {
        kind: 'event',
        conversationId: 'c-1',
        revision: 3,
        flowId: 'session-expiry',
        event: { type: 'choose', choice: 'refresh' },
      },
      cardActivityId: '1772442000001',
    });
  });

  it('reads the Action.Submit fallback, a message with a value, as a click answered by an update', () => {
    const clicked = submit(
      personalChat(SERVICE),
      { ...DATA, 'field:note': 'x' },
      { replyToId: '1772442000002' },
    );
    expect(readTeamsActivity(clicked)).toMatchObject({
      kind: 'click',
      via: 'submit',
      cardActivityId: '1772442000002',
    });
  });

  it('does not read the data of another verb, and leaves other invokes to botbuilder', () => {
    const foreign = invoke(personalChat(SERVICE), DATA, { replyToId: '1', verb: 'approve' });
    expect(readTeamsActivity(foreign)).toMatchObject({ kind: 'click', action: { kind: 'unknown' } });
    expect(readTeamsActivity({ ...foreign, name: 'task/fetch' })).toEqual({ kind: 'other-invoke' });
  });

  it('knows the bot being installed from someone else joining', () => {
    const added = botAdded(personalChat(SERVICE));
    expect(readTeamsActivity(added)).toEqual({ kind: 'installed' });
    expect(readTeamsActivity({ ...added, membersAdded: [{ id: '29:someone', name: 'Someone' }] })).toEqual({
      kind: 'ignored',
    });
    expect(readTeamsActivity({ ...added, type: 'typing' })).toEqual({ kind: 'ignored' });
  });
});

describe('reading a typed command', () => {
  it.each([
    ['help', { kind: 'help' }],
    ['Guides', { kind: 'guides' }],
    ['', { kind: 'guides' }],
    ['start session-expiry', { kind: 'start', guide: 'session-expiry' }],
    ['start  Fix a session', { kind: 'start', guide: 'Fix a session' }],
    ['back', { kind: 'event', event: { type: 'back' } }],
    ['restart', { kind: 'event', event: { type: 'restart' } }],
    ['start over', { kind: 'event', event: { type: 'restart' } }],
    ['escalate', { kind: 'event', event: { type: 'escalate' } }],
    ['I need help now', { kind: 'event', event: { type: 'escalate' } }],
    ['I need help with my session', { kind: 'problem', text: 'I need help with my session' }],
    ['go back to the login page', { kind: 'problem', text: 'go back to the login page' }],
  ])('%j is %j', (text, command) => {
    expect(readTeamsCommand(text)).toEqual(command);
  });
});

describe('the conversation key of a Teams activity', () => {
  it('is the chat itself in personal and group chats', () => {
    expect(teamsPlace(message(personalChat(SERVICE), 'hi'))).toEqual({
      key: `teams:${TENANT_ID}:${PERSONAL_CONVERSATION}`,
      tenantId: TENANT_ID,
      conversationId: PERSONAL_CONVERSATION,
      baseConversationId: PERSONAL_CONVERSATION,
      scope: 'personal',
    });
    expect(teamsPlace(message(groupChat(SERVICE), 'hi'))?.key).toBe(`teams:${TENANT_ID}:${GROUP_CHAT}`);
  });

  it('is the reply chain in a channel, for the post, the replies and the card clicks in it', () => {
    const thread = channelThread(SERVICE, '1772441000007');
    const expected = {
      key: `teams:${TENANT_ID}:${CHANNEL}:1772441000007`,
      tenantId: TENANT_ID,
      conversationId: `${CHANNEL};messageid=1772441000007`,
      baseConversationId: CHANNEL,
      scope: 'channel',
    };
    expect(teamsPlace(message(thread, 'hi', { id: '1772441000007' }))).toEqual(expected);
    expect(teamsPlace(message(thread, 'a reply', { id: '1772441000009' }))).toEqual(expected);
    expect(teamsPlace(invoke(thread, DATA, { replyToId: '1772442000003' }))).toEqual(expected);
  });

  it('makes a channel post without a thread in its conversation id the root of one', () => {
    const post = message(channelThread(SERVICE, 'x'), 'hi', { id: '1772441000011' });
    const place = teamsPlace({
      ...post,
      conversation: { conversationType: 'channel', id: CHANNEL, isGroup: true, name: '' },
    });
    expect(place?.key).toBe(`teams:${TENANT_ID}:${CHANNEL}:1772441000011`);
    expect(place?.conversationId).toBe(`${CHANNEL};messageid=1772441000011`);
  });

  it('is undefined without a conversation', () => {
    expect(teamsPlace({ type: 'message' })).toBeUndefined();
  });
});
