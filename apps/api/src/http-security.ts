import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";

/**
 * Browser-facing protections: strict headers on every response, and an Origin check that keeps
 * other sites from riding a visitor's session cookie (CSRF) or opening a WebSocket as them.
 */
export function createHttpSecurity(options: { allowedOrigins: string[]; trustProxy: boolean }) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });

  const ownOrigin = (req: IncomingMessage) => {
    const forwarded = options.trustProxy ? req.headers["x-forwarded-proto"] : undefined;
    const socket = req.socket as { encrypted?: boolean };
    const proto = forwarded === "https" || socket.encrypted ? "https" : "http";
    return `${proto}://${req.headers.host ?? ""}`;
  };

  /** No Origin header means no browser sent it (bots, the Node client): cookies are not involved then. */
  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true;
    return origin === ownOrigin(req) || options.allowedOrigins.includes(origin);
  }

  return {
    originAllowed,

    applyHeaders(req: IncomingMessage, res: ServerResponse): Promise<void> {
      return new Promise((resolve, reject) => headers(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    },

    /** CORS only for configured origins; answers preflights. Returns true when the request is done. */
    handleCors(req: IncomingMessage, res: ServerResponse): boolean {
      const origin = req.headers.origin;
      if (origin && options.allowedOrigins.includes(origin)) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Allow-Credentials", "true");
        res.setHeader("Vary", "Origin");
        if (req.method === "OPTIONS") {
          res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
          res.setHeader("Access-Control-Allow-Headers", "content-type, authorization, trpc-accept, x-trpc-source");
          res.setHeader("Access-Control-Max-Age", "600");
          res.writeHead(204).end();
          return true;
        }
      }
      return false;
    },
  };
}
