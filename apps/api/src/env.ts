import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, "letters, digits, ':', '_' and '-' only")
    .default("murmur:"),
  MURMUR_WORKERS: z.coerce.number().int().min(1).max(256).default(1),
  MURMUR_DATA_DIR: z.string().default("./.murmur-data"),
  MURMUR_WEB_DIST: z.preprocess(emptyAsUndefined, z.string().optional()),
  ROOM_PRICE_PRIVATE: z.coerce.number().int().min(0).max(1_000_000).default(10),
  ROOM_PRICE_SUPER_SECRET: z.coerce.number().int().min(0).max(1_000_000).default(25),
  MESSAGE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  REGISTRATIONS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(20),
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).default("0")),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "use at least 16 characters").optional()),
  METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  PUSH_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "a mailto: or https:// contact for push services")
    .default("mailto:admin@localhost"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PRETTY: z.preprocess(emptyAsUndefined, z.enum(["0", "1"]).optional()),
});

export type Env = z.infer<typeof envSchema>;

/** Reads the environment once; a bad value names the variable and stops start-up. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema
    .refine((env) => env.MURMUR_WORKERS === 1 || (env.DATABASE_URL && env.REDIS_URL), {
      path: ["MURMUR_WORKERS"],
      message:
        "several workers need DATABASE_URL (the embedded database is one process's) and REDIS_URL (to share live events)",
    })
    .safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
  throw new Error(`Invalid environment:\n${problems}`);
}
