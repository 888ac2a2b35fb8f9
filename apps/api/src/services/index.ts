import type { Database } from "@murmur/db";
import type { Auth } from "../auth";
import type { EventBus } from "../bus/event-bus";
import { createMessageService } from "./messages";
import { createRoomService } from "./rooms";
import { createUserService } from "./users";

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: { db: Database; bus: EventBus; auth: Auth }) {
  const users = createUserService(deps);
  const rooms = createRoomService(deps);
  const messages = createMessageService({ ...deps, rooms });
  return { users, rooms, messages };
}
