import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisAvailable, requireRedis } from '../../helpers/redis.ts';

/** A port on 127.0.0.1 that nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('the Redis test gate', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reports a Redis that is not there as unavailable, quickly', async () => {
    const started = performance.now();
    expect(await redisAvailable(`redis://127.0.0.1:${await closedPort()}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('skips the Redis tests outside CI when Redis is missing', async () => {
    vi.stubEnv('CI', '');
    expect(await requireRedis(`redis://127.0.0.1:${await closedPort()}`)).toBe(false);
  });

  it('fails under CI when Redis is missing, naming where it was expected', async () => {
    vi.stubEnv('CI', 'true');
    const port = await closedPort();
    await expect(requireRedis(`redis://127.0.0.1:${port}`)).rejects.toThrow(
      `Redis is required at 127.0.0.1:${port} under CI`,
    );
  });
});
