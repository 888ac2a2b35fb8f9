import type { Database } from "@murmur/db";
import type { Auth } from "../auth";
import type { EventBus } from "../bus/event-bus";
import type { Logger } from "../logger";
import { createDmService } from "./dm";
import { createMessageService, latestRoomMessages } from "./messages";
import { createPresenceService } from "./presence";
import { createRoomService } from "./rooms";
import { createTypingService } from "./typing";
import { createUserService } from "./users";

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: { db: Database; bus: EventBus; auth: Auth; log: Logger }) {
  const users = createUserService(deps);
  const rooms = createRoomService({ ...deps, latestMessages: (wanted) => latestRoomMessages(deps.db, wanted) });
  const dm = createDmService(deps);
  const messages = createMessageService({ ...deps, rooms });
  const typing = createTypingService({ ...deps, rooms, dm });
  const presence = createPresenceService({ ...deps, rooms, dm, typing });
  return { users, rooms, dm, typing, messages, presence };
}
