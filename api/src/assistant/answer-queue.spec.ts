import { Logger } from '@nestjs/common';

import { AnswerQueue } from './answer-queue';

/** A task that runs until released. */
function blocked() {
  let release: () => void = () => undefined;
  const started = jest.fn();
  const task = () => {
    started();
    return new Promise<void>((resolve) => (release = resolve));
  };
  return { task, started, release: () => release() };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('AnswerQueue', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('never runs a task in the turn that offers it', async () => {
    const queue = new AnswerQueue({ concurrency: 1, capacity: 1 });
    const one = blocked();
    expect(queue.offer(one.task)).toBe(true);
    expect(one.started).not.toHaveBeenCalled();
    await turn();
    expect(one.started).toHaveBeenCalled();
    one.release();
    await queue.idle();
  });

  it('runs at most `concurrency` tasks, holds `capacity` more, and declines the next at once with a logged count', async () => {
    const queue = new AnswerQueue({ concurrency: 2, capacity: 2 });
    const tasks = Array.from({ length: 4 }, () => blocked());
    for (const { task } of tasks) expect(queue.offer(task)).toBe(true);
    await turn();
    expect(queue.size).toEqual({ running: 2, waiting: 2 });

    const declined = blocked();
    expect(queue.offer(declined.task)).toBe(false);
    expect(queue.offer(declined.task)).toBe(false);
    expect(queue.declinedCount).toBe(2);
    // Logged once (throttled), as a count: nothing of the message itself.
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/declined 1 answer\(s\), 1 since start/);

    // A finished task makes room: the waiting ones run, and a new offer is accepted again.
    tasks[0]?.release();
    await turn();
    await turn();
    expect(queue.size).toEqual({ running: 2, waiting: 1 });
    expect(queue.offer(blocked().task)).toBe(true);
    expect(declined.started).not.toHaveBeenCalled();
  });

  it('keeps going after a task fails, and idle() waits for the queued tasks too', async () => {
    const queue = new AnswerQueue({ concurrency: 1, capacity: 5 });
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const done: number[] = [];
    queue.offer(() => Promise.reject(new Error('model down')));
    for (const n of [1, 2, 3]) queue.offer(() => Promise.resolve().then(() => void done.push(n)));
    await queue.idle();
    expect(done).toEqual([1, 2, 3]);
    expect(error).toHaveBeenCalledWith('answer failed: Error');
    error.mockRestore();
  });
});
