import { authRouter } from "./routers/auth";
import { creditsRouter } from "./routers/credits";
import { dmRouter } from "./routers/dm";
import { messagesRouter } from "./routers/messages";
import { metricsRouter } from "./routers/metrics";
import { presenceRouter } from "./routers/presence";
import { pushRouter } from "./routers/push";
import { roomsRouter } from "./routers/rooms";
import { typingRouter } from "./routers/typing";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  rooms: roomsRouter,
  messages: messagesRouter,
  dm: dmRouter,
  typing: typingRouter,
  presence: presenceRouter,
  credits: creditsRouter,
  metrics: metricsRouter,
  push: pushRouter,
});

export type AppRouter = typeof appRouter;
