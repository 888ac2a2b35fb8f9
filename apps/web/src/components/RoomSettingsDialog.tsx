import type { Room } from "@murmur/api-contract";
import { useState } from "react";
import { useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { errorMessage } from "../lib/errors";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { DialogActions } from "./FormButtons";
import { FormError } from "./FormError";
import { RoomDetailsForm } from "./RoomDetailsForm";
import { RoomMembersAdmin } from "./RoomMembersAdmin";

export function RoomSettingsDialog({ room, onClose }: { room: Room; onClose: () => void }) {
  const me = useMe();
  const isOwner = room.myRole === "owner";

  return (
    <Dialog title={`#${room.name} settings`} onClose={onClose} testId="room-settings-dialog" wide>
      <div className="dialog-body settings-sections">
        {isOwner && (
          <section aria-labelledby="room-details-heading">
            <h3 id="room-details-heading" className="section-heading">
              Details
            </h3>
            <RoomDetailsForm room={room} />
          </section>
        )}
        {room.myRole && room.myRole !== "member" && (
          <section aria-labelledby="room-members-heading">
            <h3 id="room-members-heading" className="section-heading">
              Members
            </h3>
            <RoomMembersAdmin roomId={room.id} myRole={room.myRole} meId={me.id} />
          </section>
        )}
        {isOwner && <DeleteRoom room={room} onDeleted={onClose} />}
      </div>
    </Dialog>
  );
}

function DeleteRoom({ room, onDeleted }: { room: Room; onDeleted: () => void }) {
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const remove = trpc.rooms.delete.useMutation({
    onSuccess: () => {
      onDeleted();
      navigate("/");
      utils.rooms.mine.setData(undefined, (rooms) => rooms?.filter((r) => r.id !== room.id));
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
    },
  });

  return (
    <section className="danger-zone" aria-labelledby="danger-heading">
      <h3 id="danger-heading" className="section-heading">
        Danger zone
      </h3>
      <FormError>{remove.error && errorMessage(remove.error)}</FormError>
      {confirming ? (
        <div className="danger-confirm" role="alertdialog" aria-labelledby="delete-confirm-text">
          <p id="delete-confirm-text">
            Delete <strong>#{room.name}</strong> for everyone? All its messages are lost and members are removed. This
            can't be undone.
          </p>
          <DialogActions onCancel={() => setConfirming(false)} cancelAutoFocus>
            <button
              type="button"
              className="button button-danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ roomId: room.id })}
              data-testid="delete-room-confirm"
            >
              {remove.isPending ? "Deleting…" : "Delete forever"}
            </button>
          </DialogActions>
        </div>
      ) : (
        <div className="danger-row">
          <p>Delete this room and all of its messages.</p>
          <button
            type="button"
            className="button button-danger-ghost"
            onClick={() => setConfirming(true)}
            data-testid="delete-room-button"
          >
            Delete room
          </button>
        </div>
      )}
    </section>
  );
}
