import { z } from 'zod';
import { readConfigFile, SINK_NAMES } from './config-file.ts';
import { FixpathError } from './errors.ts';
import { parseDuration } from './flow/duration.ts';
import { readTicketsConfig, type TicketsConfig } from './tickets-config.ts';

export type { SinkName } from './config-file.ts';
export type { TicketsConfig } from './tickets-config.ts';

/** Where `fixpath.config.yaml` is looked for when FIXPATH_CONFIG is not set; it may be absent. */
export const DEFAULT_CONFIG_FILE = 'fixpath.config.yaml';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const duration = (what: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: what });
      return z.NEVER;
    }
    return ms;
  });

const Env = z.object({
  /** The optional configuration file (channel lists, ticket routing). */
  FIXPATH_CONFIG: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  FIXPATH_FLOWS_DIR: z.string().trim().min(1).default('flows'),
  FIXPATH_IDLE_TIMEOUT: z.string().default('7d').pipe(duration('a duration such as 7d, 12h or 30m')),
  /** The SQLite file of the embedded default (ignored when REDIS_URL is set). */
  FIXPATH_DATABASE: z.string().trim().min(1).default('./data/fixpath.db'),
  REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  REDIS_KEY_PREFIX: z.string().trim().min(1).default('fixpath:'),
  /** Where the file sink writes each escalation ticket as Markdown (the embedded default's sink). */
  FIXPATH_TICKETS_DIR: z.string().trim().min(1).default('./data/tickets'),
  /** Sinks for every guide without its own routing; by default each configured one, or `file`. */
  FIXPATH_SINKS: optionalText.pipe(
    z
      .string()
      .regex(
        new RegExp(`^(${SINK_NAMES.join('|')})(\\s*,\\s*(${SINK_NAMES.join('|')}))*$`),
        `sink names separated by commas, from: ${SINK_NAMES.join(', ')}`,
      )
      .optional(),
  ),
  FIXPATH_DUPLICATE_WINDOW: optionalText.pipe(
    z
      .union([z.literal('off').transform(() => null), duration('a duration such as 24h or 3d, or off')], {
        error: 'a duration such as 24h or 3d, or off',
      })
      .optional(),
  ),
  FIXPATH_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(14),
  FIXPATH_OUTBOX_LEASE: z.string().default('60s').pipe(duration('a duration such as 60s or 2m')),
  GITHUB_TOKEN: optionalText,
  GITHUB_REPOSITORY: optionalText.pipe(
    z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name of the repository issues are filed in')
      .optional(),
  ),
  GITHUB_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  JIRA_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  JIRA_EMAIL: optionalText.pipe(z.email('the email address of the Jira account').optional()),
  JIRA_API_TOKEN: optionalText,
  JIRA_PROJECT_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as SUP')
      .optional(),
  ),
  JIRA_ISSUE_TYPE: z.string().trim().min(1).default('Task'),
  FIXPATH_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  FIXPATH_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(16, 'a shared secret of at least 16 characters').optional(),
  ),
  SLACK_SUPPORT_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'the support channel id, e.g. C0123ABCD')
      .optional(),
  ),
  TEAMS_SUPPORT_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^19:\S+@thread\.\S+$/, 'the support channel id, e.g. 19:abc…@thread.tacv2')
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xoxb-/, 'a bot token starting with xoxb-')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, "the app's signing secret (hex)")
      .optional(),
  ),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xapp-/, 'an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  SLACK_INTAKE_CHANNELS: optionalText.pipe(
    z
      .string()
      .regex(
        /^[CG][A-Z0-9]{2,}(\s*,\s*[CG][A-Z0-9]{2,})*$/,
        'channel ids separated by commas, e.g. C0123ABCD,C0456EFGH',
      )
      .optional(),
  ),
  MICROSOFT_APP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "the bot's app id (a GUID)")
      .optional(),
  ),
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  FIXPATH_TEAMS_LOCAL_NO_AUTH: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

/** The environment as zod parsed it. */
export type ConfigEnv = z.infer<typeof Env>;

/** Every environment variable fixpath reads (`.env.example` documents each; a test keeps them in step). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

export interface TeamsConfig {
  /** Empty only in local development without authentication (FIXPATH_TEAMS_LOCAL_NO_AUTH). */
  appId: string;
  appPassword: string | undefined;
  tenantId: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** True when requests are not authenticated: local development with the Bot Framework Emulator only. */
  noAuth: boolean;
}

export interface SlackConfig {
  botToken: string;
  /** Socket Mode when an app-level token is set; otherwise HTTP at /slack/events, verified with the signing secret. */
  mode: 'socket' | 'http';
  appToken: string | undefined;
  signingSecret: string | undefined;
  /** The Web API base URL; Slack's own when unset. */
  apiUrl: string | undefined;
  intakeChannels: readonly string[];
}

export type StoreConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'redis'; url: string; keyPrefix: string };

export interface Config {
  /** SQLite by default; Redis when several replicas share conversations. */
  store: StoreConfig;
  /** The configuration file read, when there was one. */
  configFile: string | null;
  tickets: TicketsConfig;
  port: number;
  host: string;
  ticketsDir: string;
  flowsDir: string;
  idleMs: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  slack: SlackConfig | null;
  teams: TeamsConfig | null;
}

/**
 * Reads the configuration once, from the environment given (never `process.env` elsewhere). Every bad
 * variable is reported at once, by name, with what it expects.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: expected ${issue.message}`);
    throw new FixpathError('config_invalid', `invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const fileName = e.FIXPATH_CONFIG ?? DEFAULT_CONFIG_FILE;
  const file = readConfigFile(fileName, { required: e.FIXPATH_CONFIG !== undefined });
  const problems: string[] = [];
  let slack: SlackConfig | null = null;
  if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      problems.push(
        '  SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      );
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      intakeChannels: e.SLACK_INTAKE_CHANNELS
        ? e.SLACK_INTAKE_CHANNELS.split(',').map((c) => c.trim())
        : (file?.slack?.intakeChannels ?? []),
    };
  } else if (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) {
    problems.push('  SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  } else if (e.SLACK_INTAKE_CHANNELS) {
    problems.push('  SLACK_INTAKE_CHANNELS: needs Slack (SLACK_BOT_TOKEN)');
  } else if (file?.slack?.intakeChannels?.length) {
    problems.push(`  ${fileName}: slack.intakeChannels: needs Slack (SLACK_BOT_TOKEN)`);
  }
  let teams: TeamsConfig | null = null;
  if (e.MICROSOFT_APP_ID) {
    if (e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
      problems.push("  MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (the bot's client secret)");
    }
    if (e.MICROSOFT_APP_TYPE !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
      problems.push(`  MICROSOFT_APP_TENANT_ID: required for a ${e.MICROSOFT_APP_TYPE} bot`);
    }
    teams = {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      noAuth: false,
    };
  } else if (e.FIXPATH_TEAMS_LOCAL_NO_AUTH) {
    teams = {
      appId: '',
      appPassword: undefined,
      tenantId: undefined,
      appType: e.MICROSOFT_APP_TYPE,
      noAuth: true,
    };
  } else if (e.MICROSOFT_APP_PASSWORD || e.MICROSOFT_APP_TENANT_ID) {
    problems.push(
      '  MICROSOFT_APP_ID: required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set ' +
        '(without it authentication is off; for local development only, set FIXPATH_TEAMS_LOCAL_NO_AUTH=true)',
    );
  }
  const tickets = readTicketsConfig(
    e,
    file,
    fileName,
    { slack: slack !== null, teams: teams !== null },
    problems,
  );
  if (problems.length > 0)
    throw new FixpathError('config_invalid', `invalid configuration:\n${problems.join('\n')}`);
  return Object.freeze({
    configFile: file ? fileName : null,
    tickets,
    ticketsDir: e.FIXPATH_TICKETS_DIR,
    store: e.REDIS_URL
      ? { kind: 'redis' as const, url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX }
      : { kind: 'sqlite' as const, path: e.FIXPATH_DATABASE },
    teams,
    port: e.PORT,
    host: e.HOST,
    flowsDir: e.FIXPATH_FLOWS_DIR,
    idleMs: e.FIXPATH_IDLE_TIMEOUT,
    logLevel: e.LOG_LEVEL,
    slack,
  });
}
