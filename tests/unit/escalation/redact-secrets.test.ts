import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets, SECRET_KINDS } from '../../../src/escalation/redact-secrets.ts';
import { cases, DASHES, PRIVATE_KEY, token, withPassword } from '../../helpers/secret-corpus.ts';

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
