import { FixpathError } from '../../errors.ts';

/**
 * A call to the Bot Framework connector that failed for good: a refusal (403 when the user blocked the
 * bot, 404 for a deleted message, 413 for a card too big), a throttle or gateway error that outlasted the
 * retries, or no answer at all (`statusCode` undefined). The status is named as on botbuilder's own
 * REST errors, so callers that read `statusCode` (the Teams channel sink) need not know which they got.
 */
export class TeamsConnectorError extends FixpathError {
  readonly statusCode: number | undefined;

  constructor(message: string, statusCode: number | undefined, options?: { cause?: unknown }) {
    super('internal', message, options);
    this.statusCode = statusCode;
  }
}

/** Rethrows a failed Teams operation as a coded error naming the operation, keeping the original as cause. */
export function toTeamsError(err: unknown, op: string): never {
  const status = connectorStatus(err);
  const detail = err instanceof Error ? err.message : String(err);
  throw new TeamsConnectorError(`Teams ${op} failed: ${detail}`, status, { cause: err });
}

/** The HTTP status of a connector failure, looked for along the chain of causes. */
export function connectorStatus(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TeamsConnectorError && e.statusCode !== undefined) return e.statusCode;
  }
  return undefined;
}
