import { describe, expect, it } from 'vitest';
import {
  findSecrets,
  redactSecrets,
  SECRET_KINDS,
  type SecretKind,
} from '../../../src/escalation/redact-secrets.ts';

// Every fake secret is assembled at run time (a prefix split in two, a body repeated from a short
// alphabet), so this file holds nothing a secret scanner would flag.

/** `length` characters of an obviously fake body drawn from `alphabet`. */
function fake(length: number, alphabet = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8x'): string {
  return alphabet.repeat(Math.ceil(length / alphabet.length)).slice(0, length);
}

const DASHES = '-'.repeat(5);
const PRIVATE_KEY = ['PRIVATE', 'KEY'].join(' ');

/** `url` with `:password` inserted before the `@` that ends its user info. */
function withPassword(url: string, password: string): string {
  return url.replace('@', `:${password}@`);
}

function pem(label: string, body: string): string {
  const type = label === '' ? PRIVATE_KEY : `${label} ${PRIVATE_KEY}`;
  return `${DASHES}BEGIN ${type}${DASHES}\n${body}\n${DASHES}END ${type}${DASHES}`;
}

const token = {
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

/** One realistic paste per kind: what goes in, what must come out. */
const cases: ReadonlyArray<{ name: string; kind: SecretKind; text: string; redacted: string }> = [
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

/** Things people write in support threads that name secrets, or look a little like them, and are not. */
const ordinary = [
  'Retry after 90s, then 5m, then 1h30m; sessions expire after 7d or 3600000ms.',
  'Running guide fix-server-timeout, step check-disk-usage (flow_id=fix-server-timeout).',
  'See https://docs.example.com:8443/runbooks/redis?page=2#eviction and http://localhost:3000/health',
  'postgres://db.internal:5432/app?sslmode=require',
  'ssh git@github.com:acme/api.git or ssh://git@github.com:22/acme/api.git',
  'Check the Authorization header: is the proxy stripping it?',
  'Authorization: required for every /admin route',
  'Send Authorization: Bearer <token> on each call; Bearer tokens expire after 1h. Basic auth is off.',
  'Error: 401 Unauthorized (WWW-Authenticate: Bearer realm="api")',
  'request 3f2b6c1e-9a4d-4c2b-8f7e-1d2c3b4a5f6e failed',
  'deployed 9fceb02d0ae598e95dc970b74767f19372d61af8 (short 9fceb02)',
  'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  'redis-cli TTL sess:abc returned -2, then GET sess:abc gave (nil)',
  'The token expired yesterday. token: expired yesterday, so I reset my password.',
  'Forgot password? Password: see the vault entry "db-admin".',
  'PWD=/home/dev OLDPWD=/tmp bypass=true',
  'max_tokens=512, tokens: 1500, retries=3 timeout=30s',
  'passwd: files systemd',
  'volumes:\n  - name: creds\n    secret:\n      secretName: db-credentials\n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: workflow and shell references, not a template
  'token: ${{ secrets.GITHUB_TOKEN }}\npassword: ${DB_PASSWORD}\napi_key: $API_KEY',
  'password=<your password>',
  'Use an xoxb- token, not xoxp-; a ghp_ token also works; key ids start with AKIA; JWTs start with eyJ.',
  'kubectl get secret db-creds -o yaml',
  'pk_live_ keys are publishable',
  `${DASHES}BEGIN CERTIFICATE${DASHES}\nMIIBszCCAVmgAwIBAgIUJ\n${DASHES}END CERTIFICATE${DASHES}`,
];

describe('redactSecrets', () => {
  it.each(cases)('redacts $name', ({ kind, text, redacted }) => {
    expect(redactSecrets(text)).toBe(redacted);
    expect(findSecrets(text).map((found) => found.kind)).toContain(kind);
  });

  it('redacts every secret in a paragraph and keeps the words between them', () => {
    const paragraph = [
      `Bot token ${token.slackBot} stopped working after the rotation.`,
      `I tried curl -H 'Authorization: Bearer ${token.github}' against ${withPassword('postgres://ops@db:5432/app', 'Winter2025!')}`,
      `with AWS ${token.awsKeyId} and npm ${token.npm}; config had password=hunter2&user=ops.`,
    ].join('\n');

    expect(redactSecrets(paragraph)).toBe(
      [
        'Bot token [redacted: slack token] stopped working after the rotation.',
        "I tried curl -H 'Authorization: [redacted: authorization header]' against postgres://ops:[redacted: password in url]@db:5432/app",
        'with AWS [redacted: aws access key] and npm [redacted: npm token]; config had password=[redacted: password]&user=ops.',
      ].join('\n'),
    );
  });

  it('changes nothing the second time', () => {
    for (const text of [...cases.map((c) => c.text), ...ordinary, 'password := "x"', "'token' => 'abc'"]) {
      const once = redactSecrets(text);
      expect(redactSecrets(once)).toBe(once);
    }
  });

  it.each(ordinary)('leaves ordinary text unchanged: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('names the specific kind when a generic key holds a known token', () => {
    expect(redactSecrets(`token=${token.github}`)).toBe('token=[redacted: github token]');
  });

  it('scans 100 KB of hostile input without backtracking for ever', () => {
    const hostile = [
      'token:',
      'password: a',
      'Authorization: a1',
      'Bearer aaaaaaaa',
      'eyJaaaaaaaaaaaa.',
      'a://:',
      'xoxb-1',
      `${DASHES}BEGIN ${PRIVATE_KEY}${DASHES}a`,
      'aws_secret_access_key=',
      ',a="',
      'a',
    ];
    for (const unit of hostile) {
      const text = unit.repeat(Math.ceil(100_000 / unit.length));
      expect(redactSecrets(redactSecrets(text))).toBe(redactSecrets(text));
    }
  });
});

describe('findSecrets', () => {
  it('reports each secret once, in order, by where it sits in the text', () => {
    const text = `a=${token.google} b=${token.stripe} c=${token.npm}`;
    const found = findSecrets(text);

    expect(found.map(({ kind }) => kind)).toEqual(['google api key', 'stripe key', 'npm token']);
    expect(found.map(({ start, end }) => text.slice(start, end))).toEqual([
      token.google,
      token.stripe,
      token.npm,
    ]);
  });

  it('merges overlapping finds so nothing is redacted twice', () => {
    const text = `Authorization: token ${token.github}`;
    expect(findSecrets(text)).toEqual([{ kind: 'authorization header', start: 15, end: text.length }]);
  });

  it('finds nothing in ordinary text', () => {
    expect(ordinary.flatMap(findSecrets)).toEqual([]);
  });
});

describe('SECRET_KINDS', () => {
  it('has a worked example above for every kind it lists', () => {
    expect(new Set(cases.map(({ kind }) => kind))).toEqual(new Set(SECRET_KINDS.map(({ kind }) => kind)));
  });

  it('shares stateless patterns that a logger can test repeatedly', () => {
    for (const { pattern } of SECRET_KINDS) expect(pattern.global || pattern.sticky).toBe(false);
    const slack = SECRET_KINDS.find(({ kind }) => kind === 'slack token');
    expect([slack?.pattern.test(token.slackBot), slack?.pattern.test(token.slackBot)]).toEqual([true, true]);
  });
});
