import { LIMITS, ROOM_CATEGORIES, updateRoomInput, type Room, type RoomCategory } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useFormErrors } from "../hooks/useFormErrors";
import { trpc } from "../trpc";
import { CategoryField } from "./CategoryField";
import { SubmitButton } from "./FormButtons";
import { FormError } from "./FormError";
import { PasswordField, TextAreaField, TextField } from "./FormField";

const isCategory = (value: string): value is RoomCategory => (ROOM_CATEGORIES as readonly string[]).includes(value);

/** The owner's edit form: name, description, category and (private rooms) a new password. */
export function RoomDetailsForm({ room }: { room: Room }) {
  const utils = trpc.useUtils();
  const update = trpc.rooms.update.useMutation();
  const [name, setName] = useState(room.name);
  const [description, setDescription] = useState(room.description);
  const [category, setCategory] = useState<RoomCategory>(isCategory(room.category) ? room.category : "other");
  const [password, setPassword] = useState("");
  const { fieldErrors, formError, validate, showServerError } = useFormErrors();
  const [saved, setSaved] = useState(false);
  const hasPassword = room.isPrivate || room.isSuperSecret;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const input = validate(updateRoomInput, {
      roomId: room.id,
      name,
      description,
      category,
      password: hasPassword && password ? password : undefined,
    });
    if (!input) return;
    try {
      const updated = await update.mutateAsync(input);
      utils.rooms.get.setData({ roomId: room.id }, updated);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      setPassword("");
      setSaved(true);
    } catch (error) {
      showServerError(error);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="room-details-form">
      <FormError>{formError}</FormError>
      <TextField
        label="Name"
        error={fieldErrors.name}
        maxLength={LIMITS.roomNameMax}
        autoComplete="off"
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="room-settings-name"
      />
      <TextAreaField
        label="Description"
        error={fieldErrors.description}
        rows={2}
        maxLength={LIMITS.roomDescriptionMax}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        data-testid="room-settings-description"
      />
      <CategoryField
        error={fieldErrors.category}
        value={category}
        onChange={setCategory}
        data-testid="room-settings-category"
      />
      {hasPassword && (
        <PasswordField
          label="New password"
          error={fieldErrors.password}
          hint="Leave empty to keep the current one. Members stay in; new joiners need the new password."
          autoComplete="new-password"
          maxLength={LIMITS.passwordMax}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="room-settings-password"
        />
      )}
      <div className="dialog-actions">
        {saved && (
          <span className="saved-note" role="status" data-testid="room-settings-saved">
            Saved
          </span>
        )}
        <SubmitButton pending={update.isPending} pendingLabel="Saving…" testId="room-settings-save">
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}
