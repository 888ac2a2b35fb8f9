import type { Database } from "@murmur/db";
import type { Auth } from "../auth";
import type { EventBus } from "../bus/event-bus";
import type { Logger } from "../logger";
import type { RateLimits } from "../rate-limits";
import type { PresenceStore } from "../stores/presence-store";
import type { TypingStore } from "../stores/typing-store";
import { createCreditService, type Prices } from "./credits";
import { createDmService } from "./dm";
import { createMessageService } from "./messages";
import { createPresenceService } from "./presence";
import { createPushService } from "./push";
import { latestRoomMessages } from "./room-log";
import { createRoomService } from "./rooms";
import { createTypingService } from "./typing";
import { createUserService } from "./users";

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: {
  db: Database;
  /** Statements the database may run at once: how many send batches may be in flight. */
  dbConcurrency: number;
  bus: EventBus;
  auth: Auth;
  log: Logger;
  prices: Prices;
  rateLimits: RateLimits;
  presenceStore: PresenceStore;
  typingStore: TypingStore;
  pushSubject: string;
}) {
  const credits = createCreditService(deps);
  const users = createUserService({ ...deps, credits });
  const rooms = createRoomService({
    ...deps,
    credits,
    passwordAttempts: deps.rateLimits.roomPassword,
    latestMessages: (wanted) => latestRoomMessages(deps.db, wanted),
  });
  const dm = createDmService(deps);
  const messages = createMessageService(deps);
  const typing = createTypingService({ ...deps, rooms, dm, store: deps.typingStore });
  const presence = createPresenceService({ ...deps, typing, store: deps.presenceStore });
  const push = createPushService({ ...deps, subject: deps.pushSubject });
  return { credits, users, rooms, dm, typing, messages, presence, push, rateLimits: deps.rateLimits };
}
