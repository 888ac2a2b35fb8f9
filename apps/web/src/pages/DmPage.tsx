import { useState } from "react";
import { Link } from "wouter";
import { useHistoryState } from "wouter/use-browser-location";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DmChat } from "../components/DmChat";
import { DmHeader } from "../components/DmHeader";
import { useDmMessages } from "../hooks/useDmMessages";
import { useMe } from "../hooks/useMe";
import { usePeer } from "../hooks/usePeer";
import { peerOf } from "../lib/dmStore";
import { errorMessage } from "../lib/errors";
import { isUuid } from "../lib/ids";
import { trpc } from "../trpc";

/** Who opened this page may pass the peer's name along, for a conversation with no messages yet. */
export interface DmNavigationState {
  peerName?: string;
}

export function DmPage({ peerId }: { peerId: string }) {
  const me = useMe();
  if (!isUuid(peerId)) {
    return (
      <div className="page empty-state">
        <h1>Conversation not found</h1>
        <p>The link is wrong.</p>
        <Link href="/" className="button button-primary">
          Browse rooms
        </Link>
      </div>
    );
  }
  if (peerId === me.id) {
    return (
      <div className="page empty-state">
        <h1>That's you</h1>
        <p>You can't send direct messages to yourself.</p>
      </div>
    );
  }
  return <DmConversation peerId={peerId} meId={me.id} />;
}

function DmConversation({ peerId, meId }: { peerId: string; meId: string }) {
  const utils = trpc.useUtils();
  const peer = usePeer(peerId);
  const navState = useHistoryState<DmNavigationState | null>();
  // Shares its cache with the chat below; only the first message's names are needed here.
  const { messages } = useDmMessages(peerId, meId);
  const first = messages[0];
  const peerName = peer?.username ?? (first ? peerOf(first, meId).username : undefined) ?? navState?.peerName;

  const blockedList = trpc.dm.blocked.useQuery();
  const blocked = blockedList.data?.some((u) => u.id === peerId) ?? false;
  const [confirmBlock, setConfirmBlock] = useState(false);
  const onChanged = () => void utils.dm.blocked.invalidate();
  const block = trpc.dm.block.useMutation({ onSuccess: onChanged });
  const unblock = trpc.dm.unblock.useMutation({ onSuccess: onChanged });
  const actionError = block.error ?? unblock.error;
  const name = peerName ?? "Direct message";

  return (
    <div className="room-page">
      <DmHeader
        peerName={name}
        peer={peer}
        blocked={blocked}
        onBlock={() => setConfirmBlock(true)}
        onUnblock={() => unblock.mutate({ userId: peerId })}
        busy={block.isPending || unblock.isPending}
      />
      {actionError && (
        <p className="inline-error room-error" role="alert">
          {errorMessage(actionError)}
        </p>
      )}
      <div className="room-body">
        <DmChat
          key={peerId}
          peerId={peerId}
          peerName={name}
          blocked={blocked}
          onUnblock={() => unblock.mutate({ userId: peerId })}
          unblocking={unblock.isPending}
        />
      </div>
      {confirmBlock && (
        <ConfirmDialog
          title={`Block ${name}?`}
          confirmLabel="Block"
          danger
          onConfirm={() => {
            setConfirmBlock(false);
            block.mutate({ userId: peerId });
          }}
          onClose={() => setConfirmBlock(false)}
          testId="block-confirm-dialog"
        >
          Neither of you will be able to send the other direct messages until you unblock them. They won't be told.
        </ConfirmDialog>
      )}
    </div>
  );
}
