import { authRouter } from "./routers/auth";
import { messagesRouter } from "./routers/messages";
import { roomsRouter } from "./routers/rooms";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  rooms: roomsRouter,
  messages: messagesRouter,
});

export type AppRouter = typeof appRouter;
