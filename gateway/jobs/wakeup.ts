// Wakes the batch loops when new work is stored. In-process wakes are immediate; other instances hear a NOTIFY,
// coalesced so a burst of thousands of letters costs one notification per topic per interval. Losing a wake-up is
// harmless: the loops also poll, and the rows are the truth.
import type pg from 'pg';

export type Topic = 'letters' | 'deliveries' | 'events' | 'conversation' | 'media';
const topics: Topic[] = ['letters', 'deliveries', 'events', 'conversation', 'media'];
const channelOf = (t: Topic) => `gateway_${t}`;

export interface Wakeup {
  /** New work for `topic`: wake local loops now and other instances shortly. */
  wake(topic: Topic): void;
  on(topic: Topic, listener: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createWakeup(pool: pg.Pool, onError: (err: Error) => void, coalesceMs = 20): Wakeup {
  const listeners = new Map<Topic, Set<() => void>>();
  const pendingNotify = new Set<Topic>();
  let timer: NodeJS.Timeout | undefined;
  let client: pg.PoolClient | undefined;
  let stopped = false;

  const fire = (t: Topic) => listeners.get(t)?.forEach((l) => l());
  let reconnect: NodeJS.Timeout | undefined;

  // A dedicated LISTEN connection; when it is lost (database restart, failover) it is replaced after a second, and
  // every topic is fired once in case a notification was missed meanwhile.
  function scheduleReconnect(delayMs: number): void {
    if (stopped) return;
    reconnect = setTimeout(() => {
      reconnect = undefined;
      listen().then(
        () => topics.forEach(fire),
        (err: unknown) => {
          onError(err instanceof Error ? err : new Error(String(err)));
          scheduleReconnect(5000);
        },
      );
    }, delayMs);
  }

  async function listen(): Promise<void> {
    const c = await pool.connect();
    client = c;
    c.on('notification', (n) => {
      const t = topics.find((x) => channelOf(x) === n.channel);
      if (t) fire(t);
    });
    c.on('error', (err) => {
      if (stopped) return;
      onError(err);
      if (client !== c) return;
      client = undefined;
      c.release(err);
      scheduleReconnect(1000);
    });
    try {
      await c.query(topics.map((t) => `listen ${channelOf(t)}`).join(';'));
    } catch (err) {
      client = undefined;
      c.release(err as Error);
      throw err;
    }
  }
  const flush = () => {
    timer = undefined;
    const batch = [...pendingNotify];
    pendingNotify.clear();
    if (stopped || batch.length === 0) return;
    pool.query(batch.map((t) => `notify ${channelOf(t)}`).join(';')).catch(onError);
  };

  return {
    wake(topic) {
      fire(topic);
      pendingNotify.add(topic);
      timer ??= setTimeout(flush, coalesceMs);
    },
    on(topic, listener) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      listeners.get(topic)!.add(listener);
    },
    async start() {
      await listen();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (reconnect) clearTimeout(reconnect);
      // The connection may be lost while we wait (the error handler then releases it and clears `client`).
      const c = client;
      client = undefined;
      if (c) {
        await c.query('unlisten *').catch(() => {});
        c.release();
      }
    },
  };
}
