import { createHmac } from 'node:crypto';

/** The header every webhook delivery is signed in. */
export const SIGNATURE_HEADER = 'x-fixpath-signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`: the scheme in
 * docs/webhooks.md. Signing the time with the body lets a receiver refuse a replayed delivery.
 */
export function signWebhook(secret: string, rawBody: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
