import { createRoomInput, LIMITS, type RoomCategory } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { useFormErrors } from "../hooks/useFormErrors";
import { useCredits } from "../hooks/useSidebarData";
import { creditsText } from "../lib/credits";
import { PRIVACY_OPTIONS, type Privacy } from "../lib/rooms";
import { issuesByField } from "../lib/validation";
import { addMyRoom } from "../live/cache";
import { trpc } from "../trpc";
import { CategoryField } from "./CategoryField";
import { Dialog } from "./Dialog";
import { DialogActions, SubmitButton } from "./FormButtons";
import { FormError } from "./FormError";
import { FormField, PasswordField, TextAreaField, TextField } from "./FormField";
import { RoomPriceSummary } from "./RoomPriceSummary";

export function CreateRoomDialog({ onClose }: { onClose: () => void }) {
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const create = trpc.rooms.create.useMutation();
  const credits = useCredits();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [category, setCategory] = useState<RoomCategory>("general");
  const [privacy, setPrivacy] = useState<Privacy>("public");
  const [password, setPassword] = useState("");
  const [memberLimit, setMemberLimit] = useState(String(LIMITS.memberLimitDefault));
  const { fieldErrors, formError, setFieldErrors, setFormError, showServerError } = useFormErrors();

  const needsPassword = privacy !== "public";
  const prices = credits.data?.prices;
  const price =
    privacy === "public"
      ? 0
      : privacy === "private"
        ? (prices?.privateRoom ?? null)
        : (prices?.superSecretRoom ?? null);
  const balance = credits.data?.balance ?? null;
  const tooPoor = price !== null && balance !== null && price > balance;
  const priceUnknown = needsPassword && price === null;
  const option = PRIVACY_OPTIONS.find((o) => o.value === privacy);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = createRoomInput.safeParse({
      name,
      description: description || undefined,
      category,
      isPrivate: privacy === "private",
      isSuperSecret: privacy === "super-secret",
      password: needsPassword ? password : undefined,
      memberLimit: memberLimit.trim() === "" ? Number.NaN : Number(memberLimit),
    });
    if (!parsed.success) {
      const errors = issuesByField(parsed.error.issues);
      if (errors.memberLimit && !Number.isInteger(Number(memberLimit))) {
        errors.memberLimit = `Enter a whole number from ${LIMITS.memberLimitMin} to ${LIMITS.memberLimitMax}`;
      }
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    try {
      const room = await create.mutateAsync(parsed.data);
      utils.rooms.get.setData({ roomId: room.id }, room);
      addMyRoom(utils, room);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      void utils.credits.invalidate();
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (error) {
      showServerError(error);
      // A refused purchase means our idea of the balance was stale.
      void utils.credits.balance.invalidate();
    }
  }

  return (
    <Dialog title="Create a room" onClose={onClose} testId="create-room-dialog">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <FormError testId="create-room-error">{formError}</FormError>
        <TextField
          label="Name"
          error={fieldErrors.name}
          name="name"
          maxLength={LIMITS.roomNameMax}
          autoComplete="off"
          placeholder="e.g. weekend-hikes"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="create-room-name"
        />
        <TextAreaField
          label="Description (optional)"
          error={fieldErrors.description}
          hint={`${description.length} / ${LIMITS.roomDescriptionMax}`}
          name="description"
          rows={2}
          maxLength={LIMITS.roomDescriptionMax}
          placeholder="What is this room about?"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="create-room-description"
        />
        <div className="field-row">
          <CategoryField
            error={fieldErrors.category}
            name="category"
            value={category}
            onChange={setCategory}
            data-testid="create-room-category"
          />
          <TextField
            label="Member limit"
            error={fieldErrors.memberLimit}
            hint={`${LIMITS.memberLimitMin}–${LIMITS.memberLimitMax}`}
            name="memberLimit"
            type="number"
            inputMode="numeric"
            min={LIMITS.memberLimitMin}
            max={LIMITS.memberLimitMax}
            value={memberLimit}
            onChange={(e) => setMemberLimit(e.target.value)}
            data-testid="create-room-member-limit"
          />
        </div>
        <FormField label="Privacy" hint={option?.hint}>
          {(props) => (
            <select
              {...props}
              name="privacy"
              value={privacy}
              onChange={(e) => setPrivacy(e.target.value as Privacy)}
              data-testid="create-room-privacy"
            >
              {PRIVACY_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {needsPassword && (
          <PasswordField
            label="Room password"
            error={fieldErrors.password}
            hint={`At least ${LIMITS.roomPasswordMin} characters. Share it only with people you invite.`}
            name="password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="create-room-password"
          />
        )}
        <RoomPriceSummary privacy={privacy} price={price} balance={balance} />
        <DialogActions onCancel={onClose}>
          <SubmitButton
            pending={create.isPending}
            pendingLabel="Creating…"
            disabled={tooPoor || priceUnknown}
            testId="create-room-submit"
          >
            {price ? `Create for ${creditsText(price)}` : "Create room"}
          </SubmitButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
