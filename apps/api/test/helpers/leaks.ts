import { expect } from "vitest";

interface Identity {
  id: string;
  email: string;
  token: string;
}

interface Observed {
  viewer: string | null;
  source: string;
  payload: string;
}

/**
 * Watches every HTTP response and WebSocket frame the test clients receive and, at the end, checks
 * that none carries another user's email or session token, or any password hash.
 */
export class LeakScanner {
  private readonly identities: Identity[] = [];
  private readonly observed: Observed[] = [];

  knowUser(identity: Identity): void {
    this.identities.push(identity);
  }

  /** A fetch that records response bodies seen by `viewer` (a user id, or null when anonymous). */
  fetchFor(viewer: () => string | null): typeof fetch {
    return async (input, init) => {
      const response = await fetch(input, init);
      const body = await response.clone().text();
      this.observed.push({ viewer: viewer(), source: String(input), payload: body });
      return response;
    };
  }

  frameRecorder(viewer: () => string | null): (frame: string) => void {
    return (frame) => this.observed.push({ viewer: viewer(), source: "ws", payload: frame });
  }

  assertNoLeaks(): void {
    const leaks: string[] = [];
    for (const seen of this.observed) {
      if (/\$argon2/.test(seen.payload)) leaks.push(`password hash in ${seen.source}`);
      // Registration and login answer the caller with their own email and token; that is not a leak.
      const ownSignIn = /auth\.(register|login)/.test(seen.source);
      for (const identity of this.identities) {
        if (identity.id === seen.viewer || ownSignIn) continue;
        if (seen.payload.includes(identity.email))
          leaks.push(`${identity.email} shown to ${seen.viewer} in ${seen.source}`);
        if (seen.payload.includes(identity.token))
          leaks.push(`a session token shown to ${seen.viewer} in ${seen.source}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(this.observed.length).toBeGreaterThan(0);
  }
}
