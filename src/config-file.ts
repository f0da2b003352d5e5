import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FixpathError } from './errors.ts';
import { describeSchemaIssue } from './flow/describe-schema-issue.ts';
import { formatIssue, formatPath } from './flow/flow-issue.ts';
import { parseGuideYaml } from './flow/parse-guide-yaml.ts';

/** Every ticket destination fixpath can file to. */
export const SINK_NAMES = ['file', 'github', 'jira', 'webhook', 'slack-channel', 'teams-channel'] as const;
export type SinkName = (typeof SINK_NAMES)[number];

const SinkList = z.array(z.enum(SINK_NAMES)).min(1, 'at least one sink');
const SlackChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD');

/**
 * `fixpath.config.yaml`: what is easier to keep in a file than in environment variables, namely channel
 * lists and which guide's tickets go where. Secrets stay in the environment. Every key is optional, and
 * one left empty (all its lines commented out) is the same as one left out.
 */
export const ConfigFile = z.strictObject({
  slack: z
    .strictObject({
      /** Channels whose new messages get guide offers (SLACK_INTAKE_CHANNELS wins when set). */
      intakeChannels: z.array(SlackChannelId).nullish(),
      /** Where the slack-channel sink posts tickets (SLACK_SUPPORT_CHANNEL wins when set). */
      supportChannel: SlackChannelId.nullish(),
    })
    .nullish(),
  teams: z
    .strictObject({
      /** The support channel's conversation id, `19:…@thread.tacv2` (TEAMS_SUPPORT_CHANNEL wins when set). */
      supportChannel: z
        .string()
        .regex(/^19:\S+@thread\.\S+$/, 'a Teams channel id such as 19:abc…@thread.tacv2')
        .nullish(),
    })
    .nullish(),
  tickets: z
    .strictObject({
      /** Sinks for every guide without its own list (FIXPATH_SINKS wins when set). */
      sinks: SinkList.nullish(),
      /** Sinks by guide id, instead of the default list. */
      guides: z.record(z.string(), SinkList).nullish(),
      duplicates: z
        .strictObject({
          /** How far back an open escalation makes a new one a duplicate: 24h, 3d, or off. */
          window: z.string().nullish(),
          /** By guide id: capture fields whose values, all the same, make the same problem. */
          keyFields: z.record(z.string(), z.array(z.string()).min(1)).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/**
 * Reads the configuration file at `path`. A missing file is no configuration unless `required`;
 * anything wrong in it stops start-up with the file, line and key of each problem.
 */
export function readConfigFile(path: string, options: { required: boolean }): ConfigFile | undefined {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !options.required) return undefined;
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const name = options.required ? 'FIXPATH_CONFIG' : path;
    throw new FixpathError(
      'config_invalid',
      `invalid configuration:\n  ${name}: cannot read ${path} (${why})`,
      {
        cause: err,
      },
    );
  }
  // A file of comments only (every key commented out) is an empty configuration.
  if (!/^\s*[^#\s]/m.test(source)) return {};
  const parsed = parseGuideYaml(source, path, 'the configuration file');
  if (!parsed.ok) throw invalid(parsed.issues.map(formatIssue));
  const { data, locate } = parsed.value;
  const result = ConfigFile.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) =>
    describeSchemaIssue(issue, ConfigFile, data).map((d) => {
      const at = locate([...d.path], d.key);
      const where = formatPath(d.key === undefined ? d.path : [...d.path, d.key]);
      return formatIssue({ file: path, ...at, path: where, message: d.message });
    }),
  );
  throw invalid(lines);
}

function invalid(lines: string[]): FixpathError {
  return new FixpathError(
    'config_invalid',
    `invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`,
  );
}
