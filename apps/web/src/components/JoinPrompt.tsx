import type { Room } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useRetryWindow } from "../hooks/useRetryWindow";
import { errorWithWait } from "../lib/errors";
import { addMyRoom } from "../live/cache";
import { trpc } from "../trpc";
import { Icon } from "./Icon";

/** What a non-member sees instead of the conversation: history is for members only. */
export function JoinPrompt({ room, notice }: { room: Room; notice?: string | null }) {
  const utils = trpc.useUtils();
  const retry = useRetryWindow();
  const join = trpc.rooms.join.useMutation({
    onSuccess: (joined) => {
      utils.rooms.get.setData({ roomId: joined.id }, joined);
      addMyRoom(utils, joined);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
    },
    onError: retry.noteError,
  });
  const [password, setPassword] = useState("");
  const full = room.memberCount >= room.memberLimit;
  const disabled = join.isPending || full || retry.waiting || (room.isPrivate && !password);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (disabled) return;
    join.mutate(room.isPrivate ? { roomId: room.id, password } : { roomId: room.id });
  }

  return (
    <form className="join-prompt" data-testid="join-prompt" onSubmit={onSubmit} noValidate>
      {notice && (
        <p className="notice" role="status" data-testid="room-notice">
          {notice}
        </p>
      )}
      <span className="room-intro-icon" aria-hidden="true">
        <Icon name={room.isPrivate ? "lock" : "hash"} size={28} />
      </span>
      <h2>Join #{room.name}</h2>
      {room.description && <p className="join-description">{room.description}</p>}
      <p className="join-meta">
        {room.isPrivate ? "Private · " : ""}
        {room.memberCount} / {room.memberLimit} members
      </p>
      {room.isPrivate && !full && (
        <div className="join-password">
          <label htmlFor="join-password" className="visually-hidden">
            Room password
          </label>
          <input
            id="join-password"
            type="password"
            autoComplete="off"
            placeholder="Room password"
            maxLength={LIMITS.passwordMax}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="join-password-input"
          />
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={disabled} data-testid="join-room-button">
        {full ? "This room is full" : join.isPending ? "Joining…" : "Join this room"}
      </button>
      {join.error && (
        <p className="inline-error" role="alert" data-testid="join-error">
          {errorWithWait(join.error, retry.secondsLeft)}
        </p>
      )}
    </form>
  );
}
