import pg from 'pg';
import type { DbRow, DbValue } from './db.ts';

/** A statement to send in a pipeline: `name` set, it is prepared once per connection. */
export interface PipelinedStatement {
  readonly text: string;
  readonly values: readonly DbValue[];
  readonly name?: string;
}

/** What node-postgres hands a submittable: its connection to the server (pg's own Query uses it so). */
interface Connection {
  readonly parsedStatements: Record<string, string>;
  on(event: 'parseComplete', listener: () => void): void;
  off(event: 'parseComplete', listener: () => void): void;
  readonly stream: { cork?(): void; uncork?(): void };
  parse(message: { text: string; name?: string; types?: number[] }): void;
  bind(message: {
    portal: string;
    statement?: string;
    values: unknown[];
    valueMapper: (v: unknown) => unknown;
  }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string; rows?: number }): void;
  sync(): void;
}

interface Field {
  readonly name: string;
  readonly dataTypeID: number;
}

/**
 * Statements sent to PostgreSQL at once in the extended protocol and answered at once: one Sync
 * after the last, so the whole list is one round trip, and each statement keeps its prepared plan
 * (simple-protocol batches re-plan every time). PostgreSQL runs them in turn, each with its own
 * snapshot; at the first error it skips the rest up to the Sync, and the list fails with it.
 * This is node-postgres's submittable interface, the one its cursors and streams use.
 */
export class Pipeline implements pg.Submittable {
  readonly #statements: readonly PipelinedStatement[];
  readonly #results: DbRow[][] = [];
  #fields: Field[] = [];
  #rows: DbRow[] = [];
  #failed: Error | undefined;
  /** The named statements whose Parse went out, in order: each ParseComplete confirms the first. */
  #parsing: { name: string; text: string }[] = [];
  #connection: Connection | undefined;
  readonly #onParsed = () => {
    const parsed = this.#parsing.shift();
    if (parsed && this.#connection) this.#connection.parsedStatements[parsed.name] = parsed.text;
  };
  #settle!: { resolve: (rows: DbRow[][]) => void; reject: (error: Error) => void };
  readonly done: Promise<DbRow[][]>;

  constructor(statements: readonly PipelinedStatement[]) {
    this.#statements = statements;
    this.done = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
  }

  submit(connection: unknown): void {
    const con = connection as Connection;
    this.#connection = con;
    // A statement is known prepared once the server says so (as pg's own Query does): a batch
    // that fails leaves those it prepared before the failure, and none after it.
    con.on('parseComplete', this.#onParsed);
    con.stream.cork?.();
    try {
      const sent = new Set<string>();
      for (const { text, values, name } of this.#statements) {
        const known = name !== undefined && (con.parsedStatements[name] !== undefined || sent.has(name));
        if (!known) {
          con.parse({ text, ...(name === undefined ? {} : { name }) });
          if (name !== undefined) {
            sent.add(name);
            this.#parsing.push({ name, text });
          }
        }
        con.bind({ portal: '', statement: name ?? '', values: [...values], valueMapper: prepareValue });
        con.describe({ type: 'P', name: '' });
        con.execute({ portal: '' });
      }
      con.sync();
    } finally {
      con.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: Field[] }): void {
    this.#fields = message.fields;
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    const row: DbRow = {};
    message.fields.forEach((raw, i) => {
      const field = this.#fields[i] as Field;
      row[field.name] = raw === null ? null : parserOf(field.dataTypeID)(raw);
    });
    this.#rows.push(row);
  }

  handleCommandComplete(): void {
    this.#results.push(this.#rows);
    this.#rows = [];
    this.#fields = [];
  }

  handleEmptyQuery(): void {
    this.handleCommandComplete();
  }

  handleError(error: Error): void {
    this.#failed = error;
    this.#connection?.off('parseComplete', this.#onParsed);
    this.#settle.reject(error);
  }

  handleReadyForQuery(): void {
    this.#connection?.off('parseComplete', this.#onParsed);
    if (!this.#failed) this.#settle.resolve(this.#results);
  }

  handlePortalSuspended(): void {}

  handleCopyInResponse(): void {}

  handleCopyData(): void {}
}

/** The text parser pg's own results use for a type (the INT8 one is set in postgres-db.ts). */
function parserOf(typeId: number): (raw: string) => unknown {
  return pg.types.getTypeParser(typeId, 'text') as (raw: string) => unknown;
}

/** Values as node-postgres sends a query's parameters. */
function prepareValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  return value;
}
