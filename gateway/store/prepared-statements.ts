// Server-side prepared statements for the statements the gateway runs over and over. Kysely sends every statement
// unnamed, so PostgreSQL parses and plans it again on each execution: for the batched statements of the hot path
// (unnest arrays, one text whatever the batch size) that was about a sixth of the server's CPU per letter. A client of
// this pool names a parameterised statement once its text has run often enough, so each connection parses it once and
// PostgreSQL may keep its plan. Texts that vary (multi-row VALUES, IN lists by length) rarely reach the threshold, and
// the number of names is capped, so the server's memory per connection stays bounded.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Runs of a text before it is prepared: a statement seen a few times is likely to be seen again. */
const RUNS_BEFORE_PREPARING = 10;
/** Texts prepared per process at most (each connection keeps its own copy of a statement it used). */
const MAX_PREPARED = 300;

/** What a statement text has become: counted runs, then a name once prepared. */
interface TextState {
  runs: number;
  name?: string;
}

/** A pg.Client class for a pool: its clients name the statements run often, with names shared by the pool. */
export function preparingClient(): typeof pg.Client {
  const texts = new Map<string, TextState>();
  let named = 0;
  let generation = 0;

  const nameFor = (text: string): string | undefined => {
    let state = texts.get(text);
    if (!state) {
      // Only so many texts are followed: the rest, mostly one-off or varying shapes, stay unnamed.
      if (texts.size >= MAX_PREPARED * 4) return undefined;
      texts.set(text, (state = { runs: 0 }));
    }
    if (state.name !== undefined) return state.name;
    if (++state.runs < RUNS_BEFORE_PREPARING || named >= MAX_PREPARED) return undefined;
    named++;
    state.name = `gw_${generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    return state.name;
  };

  /**
   * A table changed under a prepared statement in a way its plan cannot follow (another instance migrated: `select *`
   * now returns another row type). PostgreSQL refuses that statement on this connection for good, so the text gets a
   * new name, prepared afresh on every connection; the statement that failed fails once, as any statement may.
   */
  const forget = (text: string) => {
    const state = texts.get(text);
    if (state?.name !== undefined)
      state.name = `gw_${++generation}_${state.name.slice(state.name.lastIndexOf('_') + 1)}`;
  };

  class PreparingClient extends pg.Client {
    // The arguments are passed through untouched, except that a parameterised text (the only form Kysely sends)
    // becomes a named query config.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads cannot be restated on a subclass
    override query(...args: any[]): any {
      const [text, values, callback] = args as [unknown, unknown, unknown];
      // A text without parameters may hold several commands (migrations), which a prepared statement cannot.
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined)
        return (super.query as (...a: unknown[]) => unknown).apply(this, args);
      const name = nameFor(text);
      if (name === undefined) return super.query(text, values);
      return (super.query({ name, text, values }) as Promise<pg.QueryResult>).catch((err: unknown) => {
        const e = err as { code?: string; message?: string };
        if (e.code === '0A000' && e.message?.includes('cached plan must not change result type')) forget(text);
        throw err;
      });
    }
  }

  return PreparingClient;
}
