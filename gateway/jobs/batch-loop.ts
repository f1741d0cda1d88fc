// A claim-and-process loop: claims due rows in batches (the claim query uses FOR UPDATE SKIP LOCKED and a lease),
// processes them, and claims again at once while batches come back full; otherwise it sleeps until woken or until
// the poll interval passes. Forwarding and sending both run on it.
export interface BatchLoopOptions<T> {
  name: string;
  claim(limit: number): Promise<T[]>;
  /** Handles one claimed batch; must not throw for a single bad item (record it and go on). */
  process(batch: T[]): Promise<void>;
  batchSize: number;
  pollMs: number;
  onError(err: unknown): void;
}

export interface BatchLoop {
  start(): void;
  wake(): void;
  /** Waits for the batch in hand, then stops. */
  stop(): Promise<void>;
  /** Resolves when a pass found nothing due (tests, benchmarks). */
  idle(): Promise<void>;
}

export function createBatchLoop<T>(o: BatchLoopOptions<T>): BatchLoop {
  let running = false;
  let woken = false;
  let sleeper: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let loopDone: Promise<void> = Promise.resolve();
  let idleWaiters: (() => void)[] = [];

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sleeper = undefined;
        resolve();
      }, o.pollMs);
      sleeper = { timer, resolve };
    });

  async function run() {
    while (running) {
      woken = false;
      let claimed: T[] = [];
      try {
        claimed = await o.claim(o.batchSize);
        if (claimed.length > 0) await o.process(claimed);
      } catch (err) {
        o.onError(err);
      }
      // stop() and wake() change both while the pass above awaits, which the type checker cannot see.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (!running) break;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (claimed.length >= o.batchSize || woken) continue;
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((w) => w());
      await sleep();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = run();
    },
    wake() {
      woken = true;
      if (sleeper) {
        clearTimeout(sleeper.timer);
        const s = sleeper;
        sleeper = undefined;
        s.resolve();
      }
    },
    async stop() {
      running = false;
      this.wake();
      await loopDone;
      idleWaiters.forEach((w) => w());
      idleWaiters = [];
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        this.wake();
      });
    },
  };
}
