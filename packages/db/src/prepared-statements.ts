import type { Sql } from "postgres";

/**
 * Past this many parameters a query is sent unprepared: such texts are the ones that grow with a
 * list (an IN over mentions or joined rooms), and postgres.js never evicts a prepared statement
 * before its connection is recycled (max_lifetime, 30–60 min), so each length would be kept, in
 * this process and in the PostgreSQL backend. Murmur's fixed queries take fewer.
 */
const MAX_PREPARED_PARAMETERS = 16;

/**
 * drizzle-orm's postgres-js driver runs every ordinary query with `prepare: false`
 * (drizzle-team/drizzle-orm#6096). postgres.js then sends each query with parameters in two round
 * trips (Parse+Describe, then Bind+Execute) and PostgreSQL plans it anew every time. Prepared, a
 * repeated query is one round trip and one plan per connection. A client made with
 * `prepare: false` (`?prepare=false` in the URL, for a pooler that cannot keep statements) still
 * prepares nothing: postgres.js lets the client's setting override a query's.
 */
export function preparedByDefault(client: Sql): Sql {
  const unsafe: Sql["unsafe"] = (query, parameters, options) =>
    client.unsafe(query, parameters, {
      ...options,
      prepare: (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS,
    });
  const inTransaction =
    (method: "begin" | "savepoint") =>
    (...args: unknown[]) => {
      const run = args.pop() as (sql: Sql) => unknown;
      const start = Reflect.get(client, method) as (...a: unknown[]) => unknown;
      return start.call(client, ...args, (sql: Sql) => run(preparedByDefault(sql)));
    };
  const begin = inTransaction("begin");
  const savepoint = inTransaction("savepoint");
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return begin;
      if (property === "savepoint") return savepoint;
      return Reflect.get(target, property, receiver);
    },
  });
}
