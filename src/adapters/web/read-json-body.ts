import type { IncomingMessage } from 'node:http';

/** The largest request the playground accepts: a form of 30 long fields fits many times over. */
const MAX_BODY_BYTES = 256 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string };

/**
 * Reads a JSON request body. Only `application/json` is accepted: a cross-site form post cannot send
 * that without a CORS preflight, which the playground never grants.
 */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return { ok: false, status: 415, message: 'send the body as application/json' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end (and dropped), so the client gets the 413 rather than a reset.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) {
    return { ok: false, status: 413, message: `the body is larger than ${MAX_BODY_BYTES} bytes` };
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'the body is not valid JSON' };
  }
}
