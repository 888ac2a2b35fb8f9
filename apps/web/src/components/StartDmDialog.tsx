import { LIMITS, messageContentSchema, type PublicUser, type RoomMember, usernameSchema } from "@murmur/api-contract";
import { getQueryKey } from "@trpc/react-query";
import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { useRetryWindow } from "../hooks/useRetryWindow";
import { dmStore } from "../lib/dmStore";
import { errorWithWait } from "../lib/errors";
import { newClientMessageId } from "../lib/messages";
import { applyDmMessage } from "../live/cache";
import { queryClient, trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { DialogActions, SubmitButton } from "./FormButtons";
import { FormError } from "./FormError";
import { TextAreaField, TextField } from "./FormField";

/** Someone the cache already knows by name: an existing conversation or a fellow room member. */
function knownUser(username: string, conversations: { peer: PublicUser }[]): PublicUser | undefined {
  const wanted = username.toLowerCase();
  const fromDm = conversations.find((c) => c.peer.username.toLowerCase() === wanted)?.peer;
  if (fromDm) return fromDm;
  for (const [, members] of queryClient.getQueriesData<RoomMember[]>({ queryKey: getQueryKey(trpc.rooms.members) })) {
    const found = members?.find((m) => m.user.username.toLowerCase() === wanted)?.user;
    if (found) return found;
  }
  return undefined;
}

/**
 * A new conversation by username. There is no user lookup, so someone the app doesn't know yet is
 * reached by sending the first message; the server answers with their id.
 */
export function StartDmDialog({ onClose }: { onClose: () => void }) {
  const me = useMe();
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const retry = useRetryWindow();
  const send = trpc.dm.send.useMutation({ onError: retry.noteError });
  const [username, setUsername] = useState("");
  const [content, setContent] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const open = (peerId: string, peerName: string) => {
    onClose();
    navigate(`/dm/${peerId}`, { state: { peerName } });
  };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (retry.waiting) return;
    const name = usernameSchema.safeParse(username);
    if (!name.success) {
      setFieldErrors({ username: name.error.issues[0]?.message ?? "Enter a username" });
      return;
    }
    if (name.data.toLowerCase() === me.username.toLowerCase()) {
      setFieldErrors({ username: "You can't message yourself" });
      return;
    }
    const known = knownUser(name.data, utils.dm.conversations.getData()?.items ?? []);
    if (!content.trim()) {
      if (known) return open(known.id, known.username);
      setFieldErrors({ content: "Write a first message to start the conversation" });
      return;
    }
    const text = messageContentSchema.safeParse(content.trim());
    if (!text.success) {
      setFieldErrors({ content: text.error.issues[0]?.message ?? "Message is not valid" });
      return;
    }
    setFieldErrors({});
    try {
      const message = await send.mutateAsync({
        toUsername: name.data,
        content: text.data,
        clientMessageId: newClientMessageId(),
      });
      dmStore.addMessage(message, me.id);
      if (!applyDmMessage(utils, message, { meId: me.id, viewing: true })) void utils.dm.conversations.invalidate();
      open(message.recipient.id, message.recipient.username);
    } catch {
      // Shown from `send.error` below.
    }
  }

  return (
    <Dialog title="New message" onClose={onClose} testId="start-dm-dialog">
      <form className="dialog-body" onSubmit={(e) => void onSubmit(e)} noValidate>
        <FormError testId="start-dm-error">{send.error && errorWithWait(send.error, retry.secondsLeft)}</FormError>
        <TextField
          label="To"
          error={fieldErrors.username}
          hint="Their username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={LIMITS.usernameMax}
          placeholder="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="start-dm-input"
        />
        <TextAreaField
          label="Message"
          error={fieldErrors.content}
          rows={3}
          maxLength={LIMITS.messageMax}
          placeholder="Say hello…"
          value={content}
          onChange={(e) => setContent(e.target.value)}
          data-testid="start-dm-message"
        />
        <DialogActions onCancel={onClose}>
          <SubmitButton
            pending={send.isPending}
            pendingLabel="Sending…"
            disabled={retry.waiting}
            testId="start-dm-submit"
          >
            {content.trim() ? "Send" : "Open conversation"}
          </SubmitButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
