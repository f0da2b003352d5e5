import type { SecretKind } from '../../src/escalation/redact-secrets.ts';

/**
 * A corpus of realistic fake secrets: one or more pastes for every kind `redactSecrets` knows, each
 * with the text it must become. The redaction tests check the patterns against it; the logger and
 * end-to-end tests check that none of these secrets survives on its way through fixpath.
 *
 * Every fake secret is assembled at run time (a prefix split in two, a body repeated from a short
 * alphabet), so this file holds nothing a secret scanner would flag.
 */

/** `length` characters of an obviously fake body drawn from `alphabet`. */
export function fake(length: number, alphabet = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8x'): string {
  return alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
}

/** The five dashes around a PEM label. */
export const DASHES = '-'.repeat(5);
/** `PRIVATE KEY`, joined at run time. */
export const PRIVATE_KEY = ['PRIVATE', 'KEY'].join(' ');

/** `url` with `:password` inserted before the `@` that ends its user info. */
export function withPassword(url: string, password: string): string {
  return url.replace('@', `:${password}@`);
}

/** A PEM private key block: `label` is `RSA`, `EC`, `OPENSSH`, … or empty for PKCS#8. */
export function pem(label: string, body: string): string {
  const type = label === '' ? PRIVATE_KEY : `${label} ${PRIVATE_KEY}`;
  return `${DASHES}BEGIN ${type}${DASHES}\n${body}\n${DASHES}END ${type}${DASHES}`;
}

/** One realistic fake of each token shape, for tests that paste a bare token. */
export const token = {
  slackBot: `${'xox'}${'b-'}1234567890-9876543210123-${fake(24)}`,
  slackUser: `${'xox'}${'p-'}1234567890-1234567890-9876543210123-${fake(32, 'f0e1d2c3b4a5')}`,
  slackApp: `${'xa'}${'pp-'}1-A0123BCDEFG-4567890123456-${fake(64, 'abc123def456')}`,
  slackWebhookPath: `T0123ABCD/B0456EFGH/${fake(24)}`,
  github: `${'gh'}${'p_'}${fake(36)}`,
  githubFineGrained: `${'github'}${'_pat_'}${fake(22)}_${fake(59)}`,
  awsKeyId: `${'AK'}${'IA'}${fake(16, 'QWERTY234567')}`,
  awsSessionKeyId: `${'AS'}${'IA'}${fake(16, 'ZXCVB234567')}`,
  awsSecret: `${fake(20)}/${fake(19, 'Zz9+')}`,
  jwt: `${'ey'}${'J'}hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${'ey'}${'J'}zdWIiOiJ1MTIzIn0.${fake(43, 'Ab_-9')}`,
  google: `${'AI'}${'za'}${fake(35, 'Sy0_-aB9')}`,
  stripe: `${'sk'}${'_live_'}${fake(24)}`,
  stripeRestricted: `${'rk'}${'_live_'}${fake(24)}`,
  npm: `${'np'}${'m_'}${fake(36)}`,
  azure: `${fake(86, 'Kq8+/Zr3')}==`,
};

/** A realistic paste holding one secret, and what redaction must make of it. */
export interface SecretCase {
  name: string;
  kind: SecretKind;
  /** What a person pastes. */
  text: string;
  /** `text` with the secret replaced by `[redacted: <kind>]` and everything around it kept. */
  redacted: string;
}

/** One or more realistic pastes per kind: what goes in, what must come out. */
export const cases: readonly SecretCase[] = [
  {
    name: 'a Slack bot token',
    kind: 'slack token',
    text: `SLACK_BOT_TOKEN=${token.slackBot}`,
    redacted: 'SLACK_BOT_TOKEN=[redacted: slack token]',
  },
  {
    name: 'a Slack user token in prose',
    kind: 'slack token',
    text: `I used ${token.slackUser} and got not_authed`,
    redacted: 'I used [redacted: slack token] and got not_authed',
  },
  {
    name: 'a Slack app-level token',
    kind: 'slack token',
    text: `app token: ${token.slackApp}`,
    redacted: 'app token: [redacted: slack token]',
  },
  {
    name: 'a Slack webhook URL, keeping the host',
    kind: 'slack webhook',
    text: `posting to https://hooks.slack.com/services/${token.slackWebhookPath} fails`,
    redacted: 'posting to https://hooks.slack.com/services/[redacted: slack webhook] fails',
  },
  {
    name: 'an AWS access key id',
    kind: 'aws access key',
    text: `aws_access_key_id = ${token.awsKeyId}`,
    redacted: 'aws_access_key_id = [redacted: aws access key]',
  },
  {
    name: 'an AWS session key id',
    kind: 'aws access key',
    text: `key ${token.awsSessionKeyId}.`,
    redacted: 'key [redacted: aws access key].',
  },
  {
    name: 'a labelled AWS secret access key',
    kind: 'aws secret key',
    text: `[default]\naws_secret_access_key = ${token.awsSecret}\nregion = eu-west-1`,
    redacted: '[default]\naws_secret_access_key = [redacted: aws secret key]\nregion = eu-west-1',
  },
  {
    name: 'an AWS secret key in CLI JSON output',
    kind: 'aws secret key',
    text: `{"SecretAccessKey": "${token.awsSecret}"}`,
    redacted: '{"SecretAccessKey": "[redacted: aws secret key]"}',
  },
  {
    name: 'a JWT',
    kind: 'jwt',
    text: `the cookie holds ${token.jwt} today`,
    redacted: 'the cookie holds [redacted: jwt] today',
  },
  {
    name: 'a GitHub personal access token',
    kind: 'github token',
    text: `GITHUB_TOKEN=${token.github}`,
    redacted: 'GITHUB_TOKEN=[redacted: github token]',
  },
  {
    name: 'a fine-grained GitHub token',
    kind: 'github token',
    text: `tried ${token.githubFineGrained}`,
    redacted: 'tried [redacted: github token]',
  },
  {
    name: 'the password in a database URL, keeping user and host',
    kind: 'password in url',
    text: withPassword('DATABASE_URL=postgres://app@db.internal:5432/orders', 's3cr@t-Pa55'),
    redacted: 'DATABASE_URL=postgres://app:[redacted: password in url]@db.internal:5432/orders',
  },
  {
    name: 'the password in a Redis URL with no user',
    kind: 'password in url',
    text: withPassword('redis://@cache:6379/0', 'hunter2'),
    redacted: 'redis://:[redacted: password in url]@cache:6379/0',
  },
  {
    name: 'a bearer Authorization header, keeping the header name',
    kind: 'authorization header',
    text: `curl -H "Authorization: Bearer ${token.jwt}" https://api.internal/v1/orders`,
    redacted: 'curl -H "Authorization: [redacted: authorization header]" https://api.internal/v1/orders',
  },
  {
    name: 'a Basic Authorization header in JSON',
    kind: 'authorization header',
    text: `{"authorization": "Basic ${Buffer.from('admin:hunter2').toString('base64')}", "accept": "json"}`,
    redacted: '{"authorization": "[redacted: authorization header]", "accept": "json"}',
  },
  {
    name: 'a Proxy-Authorization header with any scheme',
    kind: 'authorization header',
    text: `PROXY-AUTHORIZATION: Negotiate ${fake(40)}\nHost: x`,
    redacted: 'PROXY-AUTHORIZATION: [redacted: authorization header]\nHost: x',
  },
  {
    name: 'a signed AWS Authorization header with its parameters',
    kind: 'authorization header',
    text: `Authorization: AWS4-HMAC-SHA256 Credential=${token.awsKeyId}/20250101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${fake(64, '0123456789abcdef')}`,
    redacted: 'Authorization: [redacted: authorization header]',
  },
  {
    name: 'a bearer credential outside a header',
    kind: 'bearer token',
    text: `use Bearer ${fake(32)} for the admin API`,
    redacted: 'use Bearer [redacted: bearer token] for the admin API',
  },
  {
    name: 'a PEM private key, start to end',
    kind: 'private key',
    text: `here is the deploy key:\n${pem('RSA', `${fake(64)}\n${fake(40)}==`)}\nthanks`,
    redacted: 'here is the deploy key:\n[redacted: private key]\nthanks',
  },
  {
    name: 'an OpenSSH private key',
    kind: 'private key',
    text: pem('OPENSSH', `${fake(70)}\n${fake(70)}`),
    redacted: '[redacted: private key]',
  },
  {
    name: 'an encrypted EC private key with PEM headers',
    kind: 'private key',
    text: pem('EC', `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D4E5F\n\n${fake(64)}`),
    redacted: '[redacted: private key]',
  },
  {
    name: 'a PKCS#8 key inside a JSON credentials file',
    kind: 'private key',
    text: `{"private_key": "${pem('ENCRYPTED', fake(64)).replaceAll('\n', '\\n')}\\n", "client_email": "bot@x.dev"}`,
    redacted: '{"private_key": "[redacted: private key]\\n", "client_email": "bot@x.dev"}',
  },
  {
    name: 'a private key cut off before its END line',
    kind: 'private key',
    text: `${DASHES}BEGIN ${PRIVATE_KEY}${DASHES}\n${fake(64)}\n(the rest did not fit)`,
    redacted: '[redacted: private key](the rest did not fit)',
  },
  {
    name: 'a password assignment in a config file',
    kind: 'password',
    text: 'db:\n  host: db.internal\n  password: changeme\n  pool: 5',
    redacted: 'db:\n  host: db.internal\n  password: [redacted: password]\n  pool: 5',
  },
  {
    name: 'a passwd line with a password-like value',
    kind: 'password',
    text: 'passwd: hunter2 (I know)',
    redacted: 'passwd: [redacted: password] (I know)',
  },
  {
    name: 'a camel-case password in JSON',
    kind: 'password',
    text: '{"dbPassword":"correct horse battery staple"}',
    redacted: '{"dbPassword":"[redacted: password]"}',
  },
  {
    name: 'a client secret in an environment dump',
    kind: 'secret',
    text: 'OAUTH_CLIENT_SECRET=Zx9-abc_DEF\nOAUTH_CLIENT_ID=fixpath',
    redacted: 'OAUTH_CLIENT_SECRET=[redacted: secret]\nOAUTH_CLIENT_ID=fixpath',
  },
  {
    name: 'an api_key assignment',
    kind: 'api key',
    text: 'api_key = "abc123"',
    redacted: 'api_key = "[redacted: api key]"',
  },
  {
    name: 'a token in a query string, keeping the other parameters',
    kind: 'token',
    text: 'GET /export?format=csv&token=abc123XYZ&page=2',
    redacted: 'GET /export?format=csv&token=[redacted: token]&page=2',
  },
  {
    name: 'a Google API key',
    kind: 'google api key',
    text: `maps key ${token.google}`,
    redacted: 'maps key [redacted: google api key]',
  },
  {
    name: 'a live Stripe secret key',
    kind: 'stripe key',
    text: `STRIPE=${token.stripe}`,
    redacted: 'STRIPE=[redacted: stripe key]',
  },
  {
    name: 'a live Stripe restricted key',
    kind: 'stripe key',
    text: `rk is ${token.stripeRestricted}`,
    redacted: 'rk is [redacted: stripe key]',
  },
  {
    name: 'an npm token in .npmrc',
    kind: 'npm token',
    text: `//registry.example.test/:_authToken=${token.npm}`,
    redacted: '//registry.example.test/:_authToken=[redacted: npm token]',
  },
  {
    name: 'the key in an Azure Storage connection string',
    kind: 'azure storage key',
    text: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${token.azure};EndpointSuffix=core.windows.net`,
    redacted:
      'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[redacted: azure storage key];EndpointSuffix=core.windows.net',
  },
];

/**
 * The parts of a case's text that must never be written anywhere: the secret itself (what `text` has
 * where `redacted` has its marker), and each line of it at least six characters long, since a
 * multi-line secret may reach a sink with its line breaks escaped or re-wrapped.
 */
export function secretParts({ text, redacted }: SecretCase): string[] {
  let head = 0;
  while (head < text.length && head < redacted.length && text[head] === redacted[head]) head++;
  let tail = 0;
  while (
    tail < text.length - head &&
    tail < redacted.length - head &&
    text[text.length - 1 - tail] === redacted[redacted.length - 1 - tail]
  )
    tail++;
  const secret = text.slice(head, text.length - tail);
  const lines = secret.split(/\\n|\n/).map((line) => line.trim());
  return [...new Set([secret, ...lines.filter((line) => line.length >= 6)])];
}
