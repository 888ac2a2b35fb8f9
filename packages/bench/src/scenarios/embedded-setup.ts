import { randomBytes } from "node:crypto";
import { createMurmurClient } from "@murmur/client";
import type { ClientSpec } from "../load/protocol";

/**
 * The embedded database belongs to the server process, so its users are made the way a person
 * makes them: register, create a room, join. Few users, since each registration hashes a password.
 */
export async function registerThroughApi(url: string, users: number, roomSize: number): Promise<ClientSpec[]> {
  const tag = randomBytes(3).toString("hex");
  const anonymous = createMurmurClient({ url });
  const tokens: string[] = [];
  let next = 0;
  const register = async () => {
    while (next < users) {
      const i = next++;
      const { token } = await anonymous.api.auth.register.mutate({
        username: `e${tag}_${i}`,
        email: `e${tag}_${i}@bench.invalid`,
        password: `bench-password-${tag}`,
      });
      tokens[i] = token;
    }
  };
  await Promise.all([register(), register(), register()]);
  await anonymous.close();

  const clients: ClientSpec[] = [];
  for (let start = 0; start < users; start += roomSize) {
    const group = tokens.slice(start, start + roomSize);
    const [ownerToken, ...others] = group;
    if (!ownerToken) break;
    const owner = createMurmurClient({ url, token: ownerToken });
    const room = await owner.api.rooms.create.mutate({
      name: `embedded bench ${start / roomSize}`,
      memberLimit: Math.max(2, roomSize),
    });
    await owner.close();
    clients.push({ token: ownerToken, roomId: room.id });
    for (const token of others) {
      const member = createMurmurClient({ url, token });
      await member.api.rooms.join.mutate({ roomId: room.id });
      await member.close();
      clients.push({ token, roomId: room.id });
    }
  }
  return clients;
}
