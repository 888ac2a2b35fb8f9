import { appRouter } from "../../src/root";

type ProcedureType = "query" | "mutation" | "subscription";

/** Every procedure of the router by its dotted path, read from the router itself. */
export const procedures: Record<string, ProcedureType> = Object.fromEntries(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>).map(
    ([path, procedure]) => [path, procedure._def.type],
  ),
);
