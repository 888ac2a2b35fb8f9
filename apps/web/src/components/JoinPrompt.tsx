import type { Room } from "@murmur/api-contract";
import { errorMessage } from "../lib/errors";
import { trpc } from "../trpc";
import { Icon } from "./Icon";

/** What a non-member sees instead of the conversation: history is for members only. */
export function JoinPrompt({ room }: { room: Room }) {
  const utils = trpc.useUtils();
  const join = trpc.rooms.join.useMutation({
    onSuccess: (joined) => {
      utils.rooms.get.setData({ roomId: joined.id }, joined);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
    },
  });
  const full = room.memberCount >= room.memberLimit;

  return (
    <div className="join-prompt" data-testid="join-prompt">
      <span className="room-intro-icon" aria-hidden="true">
        <Icon name="hash" size={28} />
      </span>
      <h2>Join #{room.name}</h2>
      {room.description && <p className="join-description">{room.description}</p>}
      <p className="join-meta">
        {room.memberCount} / {room.memberLimit} members
      </p>
      <button
        type="button"
        className="button button-primary"
        disabled={join.isPending || full}
        onClick={() => join.mutate({ roomId: room.id })}
        data-testid="join-room-button"
      >
        {full ? "This room is full" : join.isPending ? "Joining…" : "Join this room"}
      </button>
      {join.error && (
        <p className="inline-error" role="alert">
          {errorMessage(join.error)}
        </p>
      )}
    </div>
  );
}
