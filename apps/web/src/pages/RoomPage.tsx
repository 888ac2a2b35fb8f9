import { useEffect, useState } from "react";
import { Link, useLocation } from "wouter";
import { JoinPrompt } from "../components/JoinPrompt";
import { MembersPanel } from "../components/MembersPanel";
import { RoomChat } from "../components/RoomChat";
import { RoomHeader } from "../components/RoomHeader";
import { RoomSettingsDialog } from "../components/RoomSettingsDialog";
import { errorMessage, trpcCodeOf } from "../lib/errors";
import { isUuid } from "../lib/ids";
import { trpc } from "../trpc";

export function RoomPage({ roomId }: { roomId: string }) {
  const validId = isUuid(roomId);
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const room = trpc.rooms.get.useQuery({ roomId }, { enabled: validId });
  const [membersOpen, setMembersOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // Set once we have seen ourselves inside: losing the room after that is news worth explaining.
  const [wasMember, setWasMember] = useState(false);
  const [wasSuperSecret, setWasSuperSecret] = useState(false);
  const myRole = room.data?.myRole ?? null;
  const superSecret = room.data?.isSuperSecret ?? false;
  useEffect(() => {
    if (myRole) setWasMember(true);
    if (myRole && superSecret) setWasSuperSecret(true);
  }, [myRole, superSecret]);
  // Kicked or deleted while the settings were open: they no longer apply.
  useEffect(() => {
    if (myRole !== "owner" && myRole !== "moderator") setSettingsOpen(false);
  }, [myRole]);

  const leave = trpc.rooms.leave.useMutation({
    onSuccess: () => {
      navigate("/");
      utils.rooms.get.setData({ roomId }, (prev) =>
        prev ? { ...prev, myRole: null, memberCount: prev.memberCount - 1 } : prev,
      );
      utils.rooms.mine.setData(undefined, (prev) => prev?.filter((r) => r.id !== roomId));
      void utils.messages.history.reset({ roomId });
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
    },
  });

  if (!validId || trpcCodeOf(room.error) === "NOT_FOUND") {
    return (
      <div className="page empty-state" data-testid={wasMember ? "room-gone" : "room-not-found"}>
        <h1>{wasMember ? "This room is gone" : "Room not found"}</h1>
        <p>
          {wasMember
            ? wasSuperSecret
              ? "It was deleted, or you were removed from it."
              : "The owner deleted it."
            : "It may have been deleted, or the link is wrong."}
        </p>
        <Link href="/" className="button button-primary">
          Browse rooms
        </Link>
      </div>
    );
  }
  if (room.isPending) return <div className="page empty-state">Loading room…</div>;
  if (room.error && !room.data) {
    return (
      <div className="page empty-state" role="alert">
        <p>{errorMessage(room.error)}</p>
        <button type="button" className="button button-secondary" onClick={() => void room.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  const data = room.data;
  const isMember = data.myRole !== null;
  return (
    <div className="room-page">
      <RoomHeader
        room={data}
        membersOpen={membersOpen && isMember}
        onToggleMembers={() => setMembersOpen((open) => !open)}
        onOpenSettings={() => setSettingsOpen(true)}
        onLeave={() => leave.mutate({ roomId })}
        leaving={leave.isPending}
      />
      {leave.error && (
        <p className="inline-error room-error" role="alert">
          {errorMessage(leave.error)}
        </p>
      )}
      <div className="room-body">
        {isMember ? (
          <RoomChat key={roomId} room={data} />
        ) : (
          <JoinPrompt
            room={data}
            notice={
              wasMember ? "You're no longer a member of this room: you were removed, or left it in another tab." : null
            }
          />
        )}
        {isMember && membersOpen && <MembersPanel roomId={roomId} onClose={() => setMembersOpen(false)} />}
      </div>
      {settingsOpen && isMember && <RoomSettingsDialog room={data} onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}
