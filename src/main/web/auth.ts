import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh secret for one server run: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function cookies(header: string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) found.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return found;
}

export interface Gate {
  /** The cookie carrying the session; named after the port, since cookies ignore ports. */
  cookieName: string;
  /** DNS-rebinding guard: a page on another name that resolves to 127.0.0.1 sends its own Host. */
  hostAllowed(req: IncomingMessage): boolean;
  /** The request carries the session cookie or `Authorization: Bearer <token>`. */
  authenticated(req: IncomingMessage): boolean;
  tokenMatches(candidate: string): boolean;
  /** Set-Cookie for a browser that has shown the token: HttpOnly, so page scripts never see it. */
  sessionCookie(): string;
  /** When a request names its origin (browsers do on POST), it must be ours. */
  originAllowed(req: IncomingMessage): boolean;
}

export function createGate(token: string, port: number): Gate {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  const cookieName = `atelier_session_${port}`;
  return {
    cookieName,
    hostAllowed: (req) => hosts.has((req.headers.host ?? '').toLowerCase()),
    authenticated(req) {
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), token)) return true;
      const cookie = cookies(req.headers.cookie).get(cookieName);
      return cookie !== undefined && sameSecret(cookie, token);
    },
    tokenMatches: (candidate) => sameSecret(candidate, token),
    sessionCookie: () => `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`,
    originAllowed(req) {
      const origin = req.headers.origin;
      return origin === undefined || origins.has(origin.toLowerCase());
    },
  };
}
