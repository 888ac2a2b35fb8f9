import { createRoomInput, LIMITS, ROOM_CATEGORIES, type RoomCategory } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { categoryLabel } from "../lib/categories";
import { errorMessage, fieldErrorsOf } from "../lib/errors";
import { issuesByField } from "../lib/validation";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";

export function CreateRoomDialog({ onClose }: { onClose: () => void }) {
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const create = trpc.rooms.create.useMutation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [category, setCategory] = useState<RoomCategory>("general");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = createRoomInput.safeParse({ name, description: description || undefined, category });
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const room = await create.mutateAsync(parsed.data);
      utils.rooms.get.setData({ roomId: room.id }, room);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorMessage(error));
    }
  }

  return (
    <Dialog title="Create a room" onClose={onClose} testId="create-room-dialog">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <FormField label="Name" error={fieldErrors.name}>
          {(props) => (
            <input
              {...props}
              name="name"
              maxLength={LIMITS.roomNameMax}
              autoComplete="off"
              placeholder="e.g. weekend-hikes"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="create-room-name"
            />
          )}
        </FormField>
        <FormField
          label="Description (optional)"
          error={fieldErrors.description}
          hint={`${description.length} / ${LIMITS.roomDescriptionMax}`}
        >
          {(props) => (
            <textarea
              {...props}
              name="description"
              rows={3}
              maxLength={LIMITS.roomDescriptionMax}
              placeholder="What is this room about?"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              data-testid="create-room-description"
            />
          )}
        </FormField>
        <FormField label="Category" error={fieldErrors.category}>
          {(props) => (
            <select
              {...props}
              name="category"
              value={category}
              onChange={(e) => setCategory(e.target.value as RoomCategory)}
              data-testid="create-room-category"
            >
              {ROOM_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <div className="dialog-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending}
            data-testid="create-room-submit"
          >
            {create.isPending ? "Creating…" : "Create room"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
