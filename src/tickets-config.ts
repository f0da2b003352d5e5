import type { ConfigEnv } from './config.ts';
import type { ConfigFile, SinkName } from './config-file.ts';
import { parseDuration } from './flow/duration.ts';

export interface GitHubConfig {
  token: string;
  /** `owner/name`. */
  repository: string;
  apiUrl: string | undefined;
}

export interface JiraConfig {
  baseUrl: string;
  email: string;
  apiToken: string;
  projectKey: string;
  issueType: string;
}

/** Where escalation tickets go, and how. */
export interface TicketsConfig {
  /** The file sink's folder. */
  dir: string;
  /** Sinks for every guide without its own list. */
  sinks: readonly SinkName[];
  /** Sinks by guide id. */
  guideSinks: Readonly<Record<string, readonly SinkName[]>>;
  /** How far back an open escalation makes a new one a duplicate; null: never link, always file. */
  duplicateWindowMs: number | null;
  /** By guide id: the capture fields whose values, all the same, make the same problem. */
  keyFields: Readonly<Record<string, readonly string[]>>;
  /** Failed attempts before an outbox entry is dead-lettered. */
  maxAttempts: number;
  /**
   * How long a replica holds a ticket it is sending before another may take it over (its owner died):
   * longer than the slowest sink takes to answer.
   */
  leaseMs: number;
  github: GitHubConfig | null;
  jira: JiraConfig | null;
  webhook: { url: string; secret: string } | null;
  /** The Slack support channel's id, for the slack-channel sink. */
  slackChannel: string | null;
  /** The Teams support channel's conversation id, for the teams-channel sink. */
  teamsChannel: string | null;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What each sink needs, for messages about one that is named but not configured. */
const NEEDS: Record<Exclude<SinkName, 'file'>, string> = {
  github: 'GITHUB_TOKEN and GITHUB_REPOSITORY',
  jira: 'JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT_KEY',
  webhook: 'FIXPATH_WEBHOOK_URL and FIXPATH_WEBHOOK_SECRET',
  'slack-channel': 'SLACK_SUPPORT_CHANNEL (and Slack)',
  'teams-channel': 'TEAMS_SUPPORT_CHANNEL (and Teams)',
};

/**
 * The ticket destinations: each one whose settings are complete is configured, and by default every
 * configured one is used (Markdown files when there is none). Half-set destinations and sink names
 * that are not configured are problems, named by variable or by file and key.
 */
export function readTicketsConfig(
  e: ConfigEnv,
  file: ConfigFile | undefined,
  fileName: string,
  platforms: { slack: boolean; teams: boolean },
  problems: string[],
): TicketsConfig {
  const all = (names: string[], values: Array<string | undefined>, what: string) => {
    if (values.every((v) => v === undefined)) return false;
    const missing = names.filter((_, i) => values[i] === undefined);
    for (const name of missing) problems.push(`  ${name}: required for ${what} (set ${names.join(', ')})`);
    return missing.length === 0;
  };
  const github = all(
    ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'],
    [e.GITHUB_TOKEN, e.GITHUB_REPOSITORY],
    'GitHub issues',
  )
    ? { token: e.GITHUB_TOKEN as string, repository: e.GITHUB_REPOSITORY as string, apiUrl: e.GITHUB_API_URL }
    : null;
  const jira = all(
    ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'],
    [e.JIRA_BASE_URL, e.JIRA_EMAIL, e.JIRA_API_TOKEN, e.JIRA_PROJECT_KEY],
    'Jira issues',
  )
    ? {
        baseUrl: e.JIRA_BASE_URL as string,
        email: e.JIRA_EMAIL as string,
        apiToken: e.JIRA_API_TOKEN as string,
        projectKey: e.JIRA_PROJECT_KEY as string,
        issueType: e.JIRA_ISSUE_TYPE,
      }
    : null;
  const webhook = all(
    ['FIXPATH_WEBHOOK_URL', 'FIXPATH_WEBHOOK_SECRET'],
    [e.FIXPATH_WEBHOOK_URL, e.FIXPATH_WEBHOOK_SECRET],
    'the webhook',
  )
    ? { url: e.FIXPATH_WEBHOOK_URL as string, secret: e.FIXPATH_WEBHOOK_SECRET as string }
    : null;
  const slackChannel = e.SLACK_SUPPORT_CHANNEL ?? file?.slack?.supportChannel ?? null;
  if (slackChannel && !platforms.slack)
    problems.push(
      `  ${e.SLACK_SUPPORT_CHANNEL ? 'SLACK_SUPPORT_CHANNEL' : `${fileName}: slack.supportChannel`}: needs Slack (SLACK_BOT_TOKEN)`,
    );
  const teamsChannel = e.TEAMS_SUPPORT_CHANNEL ?? file?.teams?.supportChannel ?? null;
  if (teamsChannel && !platforms.teams)
    problems.push(
      `  ${e.TEAMS_SUPPORT_CHANNEL ? 'TEAMS_SUPPORT_CHANNEL' : `${fileName}: teams.supportChannel`}: needs Teams (MICROSOFT_APP_ID)`,
    );

  const configured = new Set<SinkName>(['file']);
  if (github) configured.add('github');
  if (jira) configured.add('jira');
  if (webhook) configured.add('webhook');
  if (slackChannel && platforms.slack) configured.add('slack-channel');
  if (teamsChannel && platforms.teams) configured.add('teams-channel');
  const usable = (names: readonly SinkName[], where: string) => {
    for (const name of names) {
      if (name !== 'file' && !configured.has(name))
        problems.push(`  ${where}: ${name} is not configured (set ${NEEDS[name]})`);
    }
    return [...new Set(names)];
  };
  const remote = [...configured].filter((name) => name !== 'file');
  const sinks = e.FIXPATH_SINKS
    ? usable(
        e.FIXPATH_SINKS.split(',').map((name) => name.trim() as SinkName),
        'FIXPATH_SINKS',
      )
    : file?.tickets?.sinks
      ? usable(file.tickets.sinks, `${fileName}: tickets.sinks`)
      : remote.length > 0
        ? remote
        : (['file'] as SinkName[]);
  const guideSinks = Object.fromEntries(
    Object.entries(file?.tickets?.guides ?? {}).map(([guide, names]) => [
      guide,
      usable(names, `${fileName}: tickets.guides.${guide}`),
    ]),
  );

  let duplicateWindowMs: number | null = DEFAULT_DUPLICATE_WINDOW_MS;
  if (e.FIXPATH_DUPLICATE_WINDOW !== undefined) duplicateWindowMs = e.FIXPATH_DUPLICATE_WINDOW;
  else if (file?.tickets?.duplicates?.window != null) {
    const written = file.tickets.duplicates.window.trim();
    const ms = written === 'off' ? null : parseDuration(written);
    if (ms === undefined || (ms !== null && ms <= 0))
      problems.push(
        `  ${fileName}: tickets.duplicates.window: expected a duration such as 24h or 3d, or off`,
      );
    else duplicateWindowMs = ms;
  }
  return {
    dir: e.FIXPATH_TICKETS_DIR,
    sinks,
    guideSinks,
    duplicateWindowMs,
    keyFields: file?.tickets?.duplicates?.keyFields ?? {},
    maxAttempts: e.FIXPATH_OUTBOX_MAX_ATTEMPTS,
    leaseMs: e.FIXPATH_OUTBOX_LEASE,
    github,
    jira,
    webhook,
    slackChannel: configured.has('slack-channel') ? slackChannel : null,
    teamsChannel: configured.has('teams-channel') ? teamsChannel : null,
  };
}
