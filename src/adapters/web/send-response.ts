import type { ServerResponse } from 'node:http';

/**
 * What the page may load and run: its own scripts and styles only, so text that slipped into the DOM
 * as markup still could not run. Mermaid's SVG carries a `<style>` element and the card renderer sets
 * inline styles, hence `'unsafe-inline'` for styles alone.
 */
export const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      ...COMMON,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(JSON.stringify(body));
}

/** A JSON error: `{ error: { code, message } }`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res
    .writeHead(status, {
      ...COMMON,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(text);
}

export function sendBytes(
  res: ServerResponse,
  body: Buffer,
  type: string,
  options: { page?: boolean; cache?: string } = {},
): void {
  res
    .writeHead(200, {
      ...COMMON,
      'content-type': type,
      'content-length': String(body.length),
      'cache-control': options.cache ?? 'no-cache',
      ...(options.page ? { 'content-security-policy': PAGE_POLICY, 'x-frame-options': 'DENY' } : {}),
    })
    .end(body);
}
