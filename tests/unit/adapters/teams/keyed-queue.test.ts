import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../../src/adapters/teams/keyed-queue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the keyed queue', () => {
  it('runs the jobs of one key one at a time, in order, and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };

    void queue.run('a', job('a1'));
    void queue.run('a', job('a2'));
    void queue.run('b', job('b1'));
    await queue.idle();

    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('goes on after a failed job, whose caller gets the failure', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', async () => {
      throw new Error('connector down');
    });
    const next = queue.run('a', async () => 'sent');

    await expect(failed).rejects.toThrow('connector down');
    await expect(next).resolves.toBe('sent');
  });

  it('is idle only once jobs queued by jobs are done too', async () => {
    const queue = new KeyedQueue();
    let done = false;
    void queue.run('a', async () => {
      await tick();
      void queue.run('b', async () => {
        await tick();
        done = true;
      });
    });

    await queue.idle();

    expect(done).toBe(true);
  });
});
