import type { Sql } from "postgres";

/**
 * drizzle-orm's postgres-js driver runs every ordinary query with `prepare: false`
 * (drizzle-team/drizzle-orm#6096). postgres.js then sends each query with parameters in two round
 * trips (Parse+Describe, then Bind+Execute) and PostgreSQL plans it anew every time. Preparing
 * them makes a repeated query one round trip and one plan per connection; postgres.js keys its
 * statement cache by text and parameter types, and recycles connections (max_lifetime), which
 * bounds that cache.
 */
export function preparedByDefault(client: Sql): Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        const unsafe: Sql["unsafe"] = (query, parameters, options) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const run = args.pop() as (sql: Sql) => unknown;
          const method = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
          return method.call(target, ...args, (sql: Sql) => run(preparedByDefault(sql)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
