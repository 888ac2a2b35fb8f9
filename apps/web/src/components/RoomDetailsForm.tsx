import { LIMITS, ROOM_CATEGORIES, updateRoomInput, type Room, type RoomCategory } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { categoryLabel } from "../lib/categories";
import { errorMessage, fieldErrorsOf } from "../lib/errors";
import { issuesByField } from "../lib/validation";
import { trpc } from "../trpc";
import { FormField } from "./FormField";

const isCategory = (value: string): value is RoomCategory => (ROOM_CATEGORIES as readonly string[]).includes(value);

/** The owner's edit form: name, description, category and (private rooms) a new password. */
export function RoomDetailsForm({ room }: { room: Room }) {
  const utils = trpc.useUtils();
  const update = trpc.rooms.update.useMutation();
  const [name, setName] = useState(room.name);
  const [description, setDescription] = useState(room.description);
  const [category, setCategory] = useState<RoomCategory>(isCategory(room.category) ? room.category : "other");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const hasPassword = room.isPrivate || room.isSuperSecret;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setSaved(false);
    const parsed = updateRoomInput.safeParse({
      roomId: room.id,
      name,
      description,
      category,
      password: hasPassword && password ? password : undefined,
    });
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const updated = await update.mutateAsync(parsed.data);
      utils.rooms.get.setData({ roomId: room.id }, updated);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      setPassword("");
      setSaved(true);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorMessage(error));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="room-details-form">
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <FormField label="Name" error={fieldErrors.name}>
        {(props) => (
          <input
            {...props}
            maxLength={LIMITS.roomNameMax}
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="room-settings-name"
          />
        )}
      </FormField>
      <FormField label="Description" error={fieldErrors.description}>
        {(props) => (
          <textarea
            {...props}
            rows={2}
            maxLength={LIMITS.roomDescriptionMax}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            data-testid="room-settings-description"
          />
        )}
      </FormField>
      <FormField label="Category" error={fieldErrors.category}>
        {(props) => (
          <select
            {...props}
            value={category}
            onChange={(e) => setCategory(e.target.value as RoomCategory)}
            data-testid="room-settings-category"
          >
            {ROOM_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {hasPassword && (
        <FormField
          label="New password"
          error={fieldErrors.password}
          hint="Leave empty to keep the current one. Members stay in; new joiners need the new password."
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              maxLength={LIMITS.passwordMax}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="room-settings-password"
            />
          )}
        </FormField>
      )}
      <div className="dialog-actions">
        {saved && (
          <span className="saved-note" role="status" data-testid="room-settings-saved">
            Saved
          </span>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={update.isPending}
          data-testid="room-settings-save"
        >
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
