import type { Me } from "@murmur/api-contract";
import { createContext, useContext } from "react";

export const MeContext = createContext<Me | null>(null);

/** The logged-in user; only used below the auth gate, where there always is one. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe used outside the logged-in app");
  return me;
}
