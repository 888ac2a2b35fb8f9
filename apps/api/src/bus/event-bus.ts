import type { BusChannels } from "@murmur/api-contract";

export type Channel = keyof BusChannels;
export type Listener<C extends Channel> = (event: BusChannels[C]) => void;

/**
 * How live events travel between the code that causes them and the subscriptions that
 * deliver them. In-process by default; a Redis implementation spans several processes.
 * Delivery is best effort: subscribers recover anything missed from the database.
 */
export interface EventBus {
  publish<C extends Channel>(channel: C, key: string, event: BusChannels[C]): Promise<void>;
  /** Listens until `signal` aborts. */
  subscribe<C extends Channel>(channel: C, key: string, listener: Listener<C>, signal: AbortSignal): void;
  /** Listeners currently attached in this process, to prove that none leak. */
  listenerCount(): number;
  close(): Promise<void>;
}

export const topicOf = (channel: Channel, key: string) => `${channel}:${key}`;
