import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';
import { checkReadiness, type ReadinessDeps } from './check-readiness.ts';
import {
  createFixpathMetrics,
  type FixpathMetrics,
  type FixpathMetricsOptions,
} from './create-fixpath-metrics.ts';

export interface OpsDeps extends ReadinessDeps {
  logger: Logger;
  /** Read at every scrape of /metrics for the outbox gauges; both are 0 without it. */
  outbox?: FixpathMetricsOptions['outbox'];
  /** Node's process metrics on /metrics (default true). */
  defaultMetrics?: boolean;
}

export interface OpsRoutes {
  /** Serves /healthz, /readyz and /metrics; false for any other path, which is left to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  metrics: FixpathMetrics;
  /** From now on /readyz answers 503, so a load balancer stops sending work while the process drains. */
  markShuttingDown(): void;
}

const PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The operations endpoints: `/healthz` (the process answers), `/readyz` (a store round trip succeeds
 * and guides are loaded; 503 with a JSON reason otherwise) and `/metrics` (Prometheus text).
 */
export function createOpsRoutes(deps: OpsDeps): OpsRoutes {
  const { logger } = deps;
  const metrics = createFixpathMetrics({
    isKnownFlow: (flowId) => deps.flows.find(flowId) !== undefined,
    ...(deps.outbox ? { outbox: deps.outbox } : {}),
    ...(deps.defaultMetrics === undefined ? {} : { defaultMetrics: deps.defaultMetrics }),
  });
  let shuttingDown = false;

  async function respond(path: string, res: ServerResponse): Promise<void> {
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/metrics') {
      const text = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text);
      return;
    }
    if (shuttingDown) return json(res, 503, { status: 'unavailable', reason: 'fixpath is shutting down' });
    const readiness = await checkReadiness(deps);
    if (readiness.ready) return json(res, 200, { status: 'ready', guides: readiness.guides });
    if (readiness.checks.store === 'failing') metrics.storeError();
    logger.warn({ readiness }, 'not ready');
    const { reason, checks } = readiness;
    return json(res, 503, { status: 'unavailable', reason, checks });
  }

  return {
    metrics,
    markShuttingDown() {
      shuttingDown = true;
    },
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (!PATHS.has(path)) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
        return true;
      }
      respond(path, res).catch((err: unknown) => {
        logger.error({ err, path }, 'ops endpoint failed');
        if (!res.headersSent) json(res, 500, { status: 'error' });
        else res.destroy();
      });
      return true;
    },
  };
}

function json(res: ServerResponse, status: number, body: object): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(`${JSON.stringify(body)}\n`);
}
