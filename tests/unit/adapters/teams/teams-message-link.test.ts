import { describe, expect, it } from 'vitest';
import { teamsMessageLink } from '../../../../src/adapters/teams/teams-message-link.ts';

const CHANNEL = '19:d8a2f0c1b9e14c6f8a7b3c2d1e0f9a8b@thread.tacv2';
const TENANT = '0d7c4a1e-93b2-4f6e-a8c5-2b1e9f7d6c30';
const GROUP = 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('a link to a Teams channel message', () => {
  it('opens a new post with the channel, tenant, group and names Teams links carry', () => {
    expect(
      teamsMessageLink({
        channelId: CHANNEL,
        messageId: '1772442000000',
        parentMessageId: '1772442000000',
        tenantId: TENANT,
        groupId: GROUP,
        teamName: 'Platform Support',
        channelName: 'Escalations & triage',
      }),
    ).toBe(
      'https://teams.microsoft.com/l/message/19%3Ad8a2f0c1b9e14c6f8a7b3c2d1e0f9a8b%40thread.tacv2/1772442000000' +
        `?tenantId=${TENANT}&groupId=${GROUP}&parentMessageId=1772442000000` +
        '&teamName=Platform%20Support&channelName=Escalations%20%26%20triage&createdTime=1772442000000',
    );
  });

  it('opens a reply with the root of its chain as the parent, leaving out names it does not know', () => {
    const url = new URL(
      teamsMessageLink({
        channelId: CHANNEL,
        messageId: '1772442000005',
        parentMessageId: '1772442000000',
        tenantId: TENANT,
        groupId: GROUP,
      }) ?? '',
    );

    expect(url.pathname).toBe(`/l/message/${encodeURIComponent(CHANNEL)}/1772442000005`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenantId: TENANT,
      groupId: GROUP,
      parentMessageId: '1772442000000',
      createdTime: '1772442000005',
    });
  });

  it('is not made without the team group or the tenant', () => {
    const place = { channelId: CHANNEL, messageId: '1', parentMessageId: '1' };
    expect(teamsMessageLink({ ...place, tenantId: TENANT, groupId: undefined })).toBeUndefined();
    expect(teamsMessageLink({ ...place, tenantId: undefined, groupId: GROUP })).toBeUndefined();
  });
});
