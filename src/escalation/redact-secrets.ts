/**
 * Secrets people paste into a support chat: tokens, keys, passwords. `redactSecrets` replaces each with
 * `[redacted: <kind>]` before the text reaches a ticket or a log, keeping the words around it (a header
 * name, a config key, the user in a URL) so the ticket still reads; `findSecrets` reports what it found,
 * so the bot can warn the person who pasted it.
 *
 * Every pattern runs in linear time on hostile input. Each starts at a literal, or at the first character
 * of a run (a lookbehind refuses to start inside the run), and every repetition that can still fail after
 * it is bounded, so a 100 KB message costs a scan, not a hang.
 *
 * Ordinary text must come back unchanged: ids, durations, UUIDs, commit SHAs, URLs without a password,
 * and prose that names a secret without giving one ("check the Authorization header", "token: expired
 * yesterday"). Where a pattern could not tell a secret from prose, its comment says which way it leans.
 */

/** Keeps redaction idempotent: a marker left by an earlier pass is never a value to redact again. */
const NOT_REDACTED = String.raw`(?!\[redacted: )`;

/** A config key spelt the usual ways: `api_key`, `api-key`, `apikey`, `apiKey`, `ApiKey`, `API_KEY`.
 * Lower and camel case must start a word (`mypassword` is not `password`, `bypass` is not `pass`); Pascal
 * and upper case may follow other letters, as in `dbPassword`, `clientSecret` or `PGPASSWORD`. */
function keyName(first: string, ...rest: string[]): string {
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const join = (words: string[]) => words.join('[_-]?');
  const startsWord = new Set([join([first, ...rest]), join([first, ...rest.map(capital)])]);
  const anywhere = [join([first, ...rest].map(capital)), join([first, ...rest].map((w) => w.toUpperCase()))];
  return `(?:(?<![a-z])(?:${[...startsWord].join('|')})|${anywhere.join('|')})`;
}

/** `word` in any mix of cases, for names that are case-insensitive by standard, such as HTTP headers. */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
}

/** `key: value`, `key = value`, `"key": "value"`, `key := value`, `key => value`. */
const ASSIGN = String.raw`["']?[ \t]{0,8}(?::=|=>|[:=](?![:=>]))[ \t]{0,8}["']?`;

/** A character of an unquoted value; a query string or connection string ends the value at `&` or `;`. */
const BARE = String.raw`[^\s"'&,;<>]`;

/** `${VAR}`, `{{ var }}` or a bare `$VAR` names a secret kept elsewhere; it is not one. */
const NOT_REFERENCE = String.raw`(?!\$\{|\{\{|\$[A-Z_][A-Z0-9_]*(?!${BARE}))`;

/**
 * The value of an assignment. Quoted values and values after `=` are always secret. After a bare `:`,
 * which prose uses too, the value must look like a password (a digit or a symbol such as `@#$%`) or end
 * its line the way a YAML value does: `password: hunter2` and `token: abc` alone on a line are redacted,
 * `token: expired yesterday` is kept. A one-word secret written mid-sentence after a colon can slip by.
 */
const ASSIGNED_VALUE = String.raw`${NOT_REDACTED}${NOT_REFERENCE}(?:(?<=")[^"\r\n]{1,1024}(?=")|(?<=')[^'\r\n]{1,1024}(?=')|(?<=[=>][ \t]{0,8})${BARE}+|(?=${BARE}{0,256}?[0-9@#$%^*+=~])${BARE}+|${BARE}{1,256}(?=[ \t]{0,64}(?:[\r\n#]|$)))`;

function assignment(keys: string): RegExp {
  return new RegExp(`(?:${keys})${ASSIGN}(?<secret>${ASSIGNED_VALUE})`);
}

/** A credential character in a header value. */
const CRED = String.raw`[^\s,"'<>]`;

/**
 * A credential, not a word: at least 8 characters, starting like a token (not `$`, `{`, `<` or `[`), with
 * a digit, a capital or one of `+/=_` after the first character. Real tokens pass; `Bearer tokens`,
 * `Basic auth` and `Bearer <token>` do not.
 */
const TOKEN_LIKE = `(?=[A-Za-z0-9._~+/-]${CRED}{7})[A-Za-z0-9._~+/-]${CRED}{0,4096}?[0-9A-Z+/=_]${CRED}*`;

/** Digest quotes its parameters: `username="…"`. Closing quote then a comma or the line's end, so the
 * closing quote of a JSON string (`"Basic abc==", "Accept": …`) is never taken for an opening one. */
const AUTH_QUOTED = String.raw`(?:(?<==)"[^"\r\n]{0,1024}"(?=,|[ \t]{0,64}(?:[\r\n]|$)))?`;

/** Comma-separated `name=value` parameters after the first, as in AWS Signature V4 and Digest. */
const AUTH_PARAMS = String.raw`(?:,[ \t]{0,8}[A-Za-z][\w-]{0,40}=(?:"[^"\r\n]{0,1024}"|${CRED}{0,4096})){0,32}`;

/** The lines a PEM private key may carry: base64, the `Proc-Type` and `DEK-Info` headers, and the
 * literal `\n` escapes of a key pasted from a JSON credentials file. */
const PEM_BODY = String.raw`[A-Za-z0-9+/=\s\\:,-]`;
const PEM_LABEL = `[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?`;

/**
 * The secrets fixpath recognises, most specific first: where two overlap, the earlier-starting one wins
 * and the other widens it, and on a tie the one listed first names the kind (`token=ghp_…` is a GitHub
 * token, not a generic token). The part redacted is the named group `secret` when a pattern has one,
 * otherwise the whole match. The patterns carry no `g` flag, so sharing them is safe.
 */
export const SECRET_KINDS = [
  /**
   * A PEM private key of any flavour (PKCS#8, RSA, EC, DSA, OpenSSH, encrypted, PGP), from the BEGIN line
   * through the END line. A key cut off before its END line is redacted up to the first character that
   * cannot be part of one, which may take some following prose with it: better than leaking the key.
   */
  {
    kind: 'private key',
    pattern: new RegExp(
      `-----BEGIN ${PEM_LABEL}-----${PEM_BODY}*?(?:-----END ${PEM_LABEL}-----|(?!${PEM_BODY}))`,
    ),
  },
  /** A Slack incoming webhook, workflow or trigger URL; the host and path kind stay readable. */
  {
    kind: 'slack webhook',
    pattern:
      /hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9]+(?:\/[A-Za-z0-9]+){1,3})/,
  },
  /** Slack bot, user, app, refresh and rotating tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`,
   * `xoxe-`, `xoxe.xoxp-` and app-level `xapp-`. The digits after the prefix keep `xoxb-style` out. */
  {
    kind: 'slack token',
    pattern: /(?<![A-Za-z0-9-])(?:xox[abposre](?:\.xox[abp])?|xapp)-[0-9]{1,20}-[A-Za-z0-9-]{8,}/,
  },
  /** GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens, and fine-grained PATs. */
  {
    kind: 'github token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/,
  },
  /** An AWS access key id: `AKIA` (long-term) or `ASIA` (session), or `ABIA`/`ACCA`, and 16 more. */
  {
    kind: 'aws access key',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/,
  },
  /** An AWS secret access key: 40 base64 characters, recognised only beside its label, since unlabelled
   * it is indistinguishable from any other 40 characters. */
  {
    kind: 'aws secret key',
    pattern: new RegExp(
      `(?<![A-Za-z0-9])(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)${ASSIGN}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
  },
  /** A Google API key: `AIza` and 35 more. */
  {
    kind: 'google api key',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
  },
  /** A Stripe secret or restricted key, live or test. Publishable `pk_` keys are public and kept. */
  {
    kind: 'stripe key',
    pattern: /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/,
  },
  /** An npm access token: `npm_` and 36 more. */
  {
    kind: 'npm token',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
  },
  /** The key in an Azure Storage or Service Bus connection string: `AccountKey=` or `SharedAccessKey=`. */
  {
    kind: 'azure storage key',
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9])(?:Account|SharedAccess)Key[ \t]{0,8}=[ \t]{0,8}(?<secret>${NOT_REDACTED}[A-Za-z0-9+/]{20,}={0,2})`,
      'i',
    ),
  },
  /** A JSON Web Token, signed or encrypted: base64url segments, the header beginning `eyJ` (`{"`). */
  {
    kind: 'jwt',
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}/,
  },
  /** The password in a URL's user info (after `user:`, before `@host`); scheme, user and host stay. A
   * port (`host:8443/path`) has no `@` after it and is kept. An unescaped `@` in a password is allowed:
   * the last `@` before the path ends it. */
  {
    kind: 'password in url',
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s@:/?#"'<>]{0,256}:(?<secret>${NOT_REDACTED}[^\s/?#"'<>]{1,256})(?=@)`,
    ),
  },
  /**
   * The value of an `Authorization`, `Proxy-Authorization` or `X-Authorization` header, any scheme, the
   * name in any case, as a header line, a curl `-H`, JSON or a query parameter. The header name stays; scheme and
   * credential go. The credential must look like one (see TOKEN_LIKE), so "Authorization: the header
   * is missing" is kept.
   */
  {
    kind: 'authorization header',
    pattern: new RegExp(
      String.raw`(?:${keyName('authorization')}|(?<![A-Za-z0-9])${anyCase('authorization')})(?:[ \t]{1,8}${anyCase('header')})?["']?[ \t]{0,8}[:=][ \t]{0,8}["']?(?<secret>${NOT_REDACTED}(?:[A-Za-z][A-Za-z0-9._-]{0,40}[ \t]{1,8})?${TOKEN_LIKE}${AUTH_QUOTED}${AUTH_PARAMS})`,
    ),
  },
  /** A bearer credential outside a header, as in `curl --oauth2-bearer` or "use Bearer abc…". */
  {
    kind: 'bearer token',
    pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:[Bb]earer|BEARER)[ \t]{1,8}(?<secret>${TOKEN_LIKE})`),
  },
  /** `password=`, `passwd:`, `passphrase`, `dbPassword`, `PGPASSWORD`; bare `pass` only before `=`,
   * where `DB_PASS=` means a password. `PWD` is the working directory, not a password, and is kept. */
  {
    kind: 'password',
    pattern: assignment(
      [
        keyName('password'),
        keyName('passwd'),
        keyName('passphrase'),
        String.raw`(?<![A-Za-z0-9])(?:pass|Pass|PASS)(?=["']?[ \t]{0,8}=)`,
      ].join('|'),
    ),
  },
  /** `secret=`, `client_secret`, `clientSecret`, `SLACK_SIGNING_SECRET`, `secret_key`, `SecretAccessKey`
   * (not 40 characters long, or the AWS entry would have named it). */
  {
    kind: 'secret',
    pattern: assignment(
      [keyName('secret', 'access', 'key'), keyName('secret', 'key'), keyName('secret')].join('|'),
    ),
  },
  /** `api_key=`, `apiKey:`, `X-Api-Key:`, Azure's `Ocp-Apim-Subscription-Key:`. */
  {
    kind: 'api key',
    pattern: assignment([keyName('api', 'key'), keyName('subscription', 'key')].join('|')),
  },
  /** `token=`, `?token=…&`, `access_token`, `accessToken`, `SLACK_BOT_TOKEN`, `X-Auth-Token:`. */
  {
    kind: 'token',
    pattern: assignment(keyName('token')),
  },
] as const satisfies ReadonlyArray<{ kind: string; pattern: RegExp }>;

export type SecretKind = (typeof SECRET_KINDS)[number]['kind'];

/** A secret found in a text: `text.slice(start, end)` is the part to hide. */
export interface FoundSecret {
  kind: SecretKind;
  start: number;
  end: number;
}

/** Global copies with match indices, so scanning never touches the shared patterns' `lastIndex`. */
const SCANNERS = SECRET_KINDS.map(({ kind, pattern }) => ({
  kind,
  pattern: new RegExp(pattern.source, `${pattern.flags}gd`),
}));

/** The secrets in `text`, in order and never overlapping: overlapping finds merge into the first. */
export function findSecrets(text: string): FoundSecret[] {
  const candidates: Array<FoundSecret & { rank: number }> = [];
  SCANNERS.forEach(({ kind, pattern }, rank) => {
    for (const match of text.matchAll(pattern)) {
      const span = match.indices?.groups?.secret ?? match.indices?.[0];
      if (span !== undefined && span[1] > span[0])
        candidates.push({ kind, start: span[0], end: span[1], rank });
    }
  });
  candidates.sort((a, b) => a.start - b.start || a.rank - b.rank);

  const found: FoundSecret[] = [];
  for (const { kind, start, end } of candidates) {
    const last = found.at(-1);
    if (last !== undefined && start < last.end) last.end = Math.max(last.end, end);
    else found.push({ kind, start, end });
  }
  return found;
}

/** `text` with every secret replaced by `[redacted: <kind>]`. Redacting twice changes nothing. */
export function redactSecrets(text: string): string {
  let redacted = '';
  let cursor = 0;
  for (const { kind, start, end } of findSecrets(text)) {
    redacted += `${text.slice(cursor, start)}[redacted: ${kind}]`;
    cursor = end;
  }
  return redacted + text.slice(cursor);
}
