import { useState } from "react";
import { Link, useLocation } from "wouter";
import { JoinPrompt } from "../components/JoinPrompt";
import { MembersPanel } from "../components/MembersPanel";
import { RoomChat } from "../components/RoomChat";
import { RoomHeader } from "../components/RoomHeader";
import { errorMessage, trpcCodeOf } from "../lib/errors";
import { trpc } from "../trpc";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function RoomPage({ roomId }: { roomId: string }) {
  const validId = UUID.test(roomId);
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const room = trpc.rooms.get.useQuery({ roomId }, { enabled: validId });
  const [membersOpen, setMembersOpen] = useState(false);
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
      <div className="page empty-state">
        <h1>Room not found</h1>
        <p>It may have been deleted, or the link is wrong.</p>
        <Link href="/" className="button button-primary">
          Browse rooms
        </Link>
      </div>
    );
  }
  if (room.isPending) return <div className="page empty-state">Loading room…</div>;
  if (room.error) {
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
        onLeave={() => leave.mutate({ roomId })}
        leaving={leave.isPending}
      />
      {leave.error && (
        <p className="inline-error room-error" role="alert">
          {errorMessage(leave.error)}
        </p>
      )}
      <div className="room-body">
        {isMember ? <RoomChat key={roomId} room={data} /> : <JoinPrompt room={data} />}
        {isMember && membersOpen && <MembersPanel roomId={roomId} onClose={() => setMembersOpen(false)} />}
      </div>
    </div>
  );
}
