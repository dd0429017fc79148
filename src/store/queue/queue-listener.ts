import pg from 'pg';
import { QUEUE_CHANNEL } from '../db/index.ts';

/**
 * LISTENs for queue notifications on a connection of its own and calls `onWake` for each. When the
 * connection drops (a restarted server), it reconnects with backoff; notifications sent meanwhile
 * are lost, which the workers' slow poll covers, so nothing waits forever.
 */
export class QueueListener {
  readonly #url: string;
  readonly #onWake: () => void;
  #client: pg.Client | undefined;
  #stopped = false;
  #retryMs = 250;
  #timer: NodeJS.Timeout | undefined;
  /** Connected and listening now. */
  listening = false;

  constructor(url: string, onWake: () => void) {
    this.#url = url;
    this.#onWake = onWake;
  }

  async start(): Promise<void> {
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client({ connectionString: this.#url });
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.listening = false;
      client.end().catch(() => undefined);
      this.#schedule();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.#onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${QUEUE_CHANNEL}`);
      this.#client = client;
      this.listening = true;
      this.#retryMs = 250;
      // Work may have become ready while we were not listening.
      this.#onWake();
    } catch {
      await client.end().catch(() => undefined);
      this.#schedule();
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, 5000);
  }
}
