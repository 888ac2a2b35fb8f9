import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from "prom-client";

/**
 * Murmur's Prometheus series. They live in prom-client's global registry so that, with several
 * workers, the primary process can aggregate every worker's numbers (prom-client's cluster support).
 */
collectDefaultMetrics({ register });

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  wsConnections: new Gauge({ name: "murmur_ws_connections", help: "Open WebSocket connections" }),
  subscriptions: new Gauge({
    name: "murmur_subscriptions_active",
    help: "Live subscriptions by kind",
    labelNames: ["kind"] as const,
  }),
  messagesStored: new Counter({
    name: "murmur_messages_stored_total",
    help: "Messages stored (rate() gives messages per second)",
    labelNames: ["kind"] as const,
  }),
  eventsPublished: new Counter({
    name: "murmur_events_published_total",
    help: "Live events published on the bus",
    labelNames: ["channel"] as const,
  }),
  eventsDelivered: new Counter({
    name: "murmur_events_delivered_total",
    help: "Live events handed to subscribers in this process",
    labelNames: ["channel"] as const,
  }),
  fanoutLatency: new Histogram({
    name: "murmur_fanout_latency_seconds",
    help: "From a message's storage to its first live delivery in this process (server side)",
    buckets: latencyBuckets,
  }),
  clientDelivery: new Histogram({
    name: "murmur_client_delivery_seconds",
    help: "Round trips reported by web clients: send to the moment their own subscription received it",
    buckets: latencyBuckets,
  }),
  rateLimitRefusals: new Counter({
    name: "murmur_rate_limit_refusals_total",
    help: "Calls refused by a rate limit",
    labelNames: ["limit"] as const,
  }),
  dbTransaction: new Histogram({
    name: "murmur_db_transaction_seconds",
    help: "Database transaction latency",
    buckets: latencyBuckets,
  }),
  dbPing: new Histogram({
    name: "murmur_db_ping_seconds",
    help: "Round trip of a trivial query",
    buckets: latencyBuckets,
  }),
  dbInFlight: new Gauge({ name: "murmur_db_transactions_in_flight", help: "Transactions holding a pool connection" }),
  dbPoolSize: new Gauge({ name: "murmur_db_pool_size", help: "Configured database pool size" }),
  busLag: new Histogram({
    name: "murmur_bus_lag_seconds",
    help: "From publishing an event to receiving it from Redis in this process",
    buckets: latencyBuckets,
  }),
};

export { register };
