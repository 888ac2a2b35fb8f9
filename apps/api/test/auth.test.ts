import { expect, it } from "vitest";
import { createMurmurClient } from "@murmur/client";
import { refusal } from "./helpers/refusal";
import { describeEachDb } from "./helpers/server";

describeEachDb("accounts and sessions", (server) => {
  it("registers a user, returns their own profile and a working session token", async () => {
    const alice = await server().user("alice");
    const me = await alice.api.auth.me.query();
    expect(me).toMatchObject({ id: alice.id, username: alice.username, email: alice.email, credits: 100 });
    expect(JSON.stringify(me)).not.toMatch(/argon2|password/i);
  });

  it("logs in by username or by email, case-insensitively", async () => {
    const bob = await server().user("bob");
    const anon = server().anonymous().api;
    const byName = await anon.auth.login.mutate({ username: bob.username.toUpperCase(), password: bob.password });
    const byEmail = await anon.auth.login.mutate({ username: bob.email.toUpperCase(), password: bob.password });
    expect(byName.user.id).toBe(bob.id);
    expect(byEmail.user.id).toBe(bob.id);
    expect(byName.token).not.toBe(byEmail.token);
  });

  it("refuses a taken username regardless of case, and a taken email, with CONFLICT", async () => {
    const carol = await server().user("carol");
    const anon = server().anonymous().api;
    const sameName = await refusal(
      anon.auth.register.mutate({
        username: carol.username.toUpperCase(),
        email: "other@example.test",
        password: "long enough pw",
      }),
    );
    expect(sameName).toMatchObject({ code: "CONFLICT", appCode: "USERNAME_TAKEN" });
    const sameEmail = await refusal(
      anon.auth.register.mutate({ username: "someone_else_1", email: carol.email, password: "long enough pw" }),
    );
    expect(sameEmail).toMatchObject({ code: "CONFLICT", appCode: "EMAIL_TAKEN" });
  });

  it("gives the same UNAUTHORIZED answer for a wrong password and an unknown user", async () => {
    const dave = await server().user("dave");
    const anon = server().anonymous().api;
    const wrongPassword = await refusal(
      anon.auth.login.mutate({ username: dave.username, password: "not the password" }),
    );
    const unknownUser = await refusal(
      anon.auth.login.mutate({ username: "nobody_here", password: "not the password" }),
    );
    expect(wrongPassword).toEqual({
      code: "UNAUTHORIZED",
      appCode: "INVALID_CREDENTIALS",
      message: wrongPassword.message,
    });
    expect(unknownUser).toEqual(wrongPassword);
  });

  it("refuses malformed registrations with BAD_REQUEST naming the field", async () => {
    const anon = server().anonymous().api;
    const cases = [
      { username: "ab", email: "a@b.io", password: "long enough pw" },
      { username: "has space", email: "a@b.io", password: "long enough pw" },
      { username: "x".repeat(33), email: "a@b.io", password: "long enough pw" },
      { username: "valid_name", email: "not-an-email", password: "long enough pw" },
      { username: "valid_name", email: "a@b.io", password: "short" },
    ];
    for (const input of cases) {
      const refused = await refusal(anon.auth.register.mutate(input));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.message).toMatch(/^(username|email|password):/);
    }
  });

  it("ends the session on logout: the token no longer works", async () => {
    const erin = await server().user("erin");
    await expect(erin.api.auth.me.query()).resolves.toMatchObject({ id: erin.id });
    await erin.api.auth.logout.mutate();
    expect(await refusal(erin.api.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses anonymous calls to protected procedures with UNAUTHORIZED", async () => {
    const anon = server().anonymous().api;
    expect(await refusal(anon.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(anon.rooms.list.query({}))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusal(anon.auth.logout.mutate())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("sets an HttpOnly SameSite=Lax session cookie that authenticates HTTP and WebSocket calls", async () => {
    const response = await fetch(`${server().url}/trpc/auth.register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        json: { username: "cookie_user", email: "cookie@example.test", password: "long enough pw" },
      }),
    });
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^murmur_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const sessionCookie = cookie.split(";")[0] ?? "";
    const viaCookie = createMurmurClient({ url: server().url, headers: { cookie: sessionCookie } });
    try {
      await expect(viaCookie.api.auth.me.query()).resolves.toMatchObject({ username: "cookie_user" });
      const room = await viaCookie.api.rooms.create.mutate({ name: "cookie room" });
      const started = new Promise<void>((resolve, reject) => {
        const sub = viaCookie.api.messages.onRoom.subscribe(
          { roomId: room.id },
          { onStarted: () => resolve(), onError: reject },
        );
        setTimeout(() => sub.unsubscribe(), 5_000);
      });
      await started;
    } finally {
      await viaCookie.close();
    }
  });

  it("marks the cookie Secure when the request came over https through a proxy", async () => {
    const response = await fetch(`${server().url}/trpc/auth.register`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({
        json: { username: "secure_user", email: "secure@example.test", password: "long enough pw" },
      }),
    });
    expect(response.headers.get("set-cookie")).toMatch(/; Secure/);
  });
});
