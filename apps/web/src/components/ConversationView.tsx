import { useCallback, type ReactNode } from "react";
import type { Conversation } from "../hooks/useConversation";
import { useMe } from "../hooks/useMe";
import { errorMessage } from "../lib/errors";
import type { ChatRow } from "../lib/messages";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { TypingIndicator } from "./TypingIndicator";

/** What useRoomMessages and useDmMessages both return about a conversation's history. */
export interface ConversationHistory {
  messages: readonly unknown[];
  isLoading: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => Promise<unknown>;
}

interface ConversationViewProps {
  history: ConversationHistory;
  conversation: Conversation;
  rows: ChatRow[];
  /** Names the message log, e.g. "Messages in general". */
  listLabel: string;
  intro: (empty: boolean) => ReactNode;
  /** The row under which "Seen" is shown (DMs), if any. */
  seenKey?: string | null;
  /** "Message #general", "Message alice". */
  composerLabel: string;
  /** Shown in place of the composer when set, e.g. while the peer is blocked. */
  composerNotice?: ReactNode;
}

/** A room's or a DM's chat: loading and error states, the message list, and the composer. */
export function ConversationView({
  history,
  conversation,
  rows,
  listLabel,
  intro,
  seenKey = null,
  composerLabel,
  composerNotice,
}: ConversationViewProps) {
  const me = useMe();
  const { loadOlder } = history;
  const onLoadOlder = useCallback(() => void loadOlder(), [loadOlder]);

  if (history.isLoading) {
    return (
      <div className="chat">
        <p className="chat-status">Loading messages…</p>
      </div>
    );
  }

  if (history.error && history.messages.length === 0) {
    return (
      <div className="chat">
        <div className="chat-status" role="alert">
          <p>{errorMessage(history.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void history.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="chat">
      <MessageList
        rows={rows}
        meId={me.id}
        label={listLabel}
        intro={intro}
        seenKey={seenKey}
        hasOlder={history.hasOlder}
        loadingOlder={history.loadingOlder}
        olderError={history.error ? errorMessage(history.error) : null}
        onLoadOlder={onLoadOlder}
        onRetry={conversation.retry}
        onDiscard={conversation.discard}
      />
      {composerNotice ?? (
        <Composer
          draftKey={conversation.key}
          label={composerLabel}
          onSend={conversation.send}
          onTextChange={conversation.onTextChange}
          status={<TypingIndicator names={conversation.typingNames} />}
        />
      )}
    </div>
  );
}
