import { Link } from "wouter";
import { Icon } from "../components/Icon";
import { useCredits } from "../hooks/useSidebarData";
import { creditReasonLabel, creditsText } from "../lib/credits";
import { errorMessage } from "../lib/errors";
import { fullDateTime, relativeTime } from "../lib/time";
import { trpc } from "../trpc";

export function CreditsPage() {
  const balance = useCredits();
  const history = trpc.credits.history.useInfiniteQuery(
    {},
    { getNextPageParam: (page) => page.nextCursor, staleTime: 30_000 },
  );
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];
  const prices = balance.data?.prices;

  return (
    <div className="page narrow-page" data-testid="credits-page">
      <header className="page-header">
        <div>
          <h1>Credits</h1>
          <p className="page-subtitle">Credits pay for private and super-secret rooms.</p>
        </div>
      </header>

      <section className="card balance-card" aria-labelledby="balance-heading">
        <h2 id="balance-heading" className="visually-hidden">
          Balance
        </h2>
        <span className="balance-icon" aria-hidden="true">
          <Icon name="coins" size={28} />
        </span>
        <div>
          <p className="balance-label">Your balance</p>
          <p className="balance-value" data-testid="credits-page-balance">
            {balance.data ? creditsText(balance.data.balance) : balance.error ? "—" : "…"}
          </p>
        </div>
        {prices && (
          <dl className="price-list">
            <div>
              <dt>Private room</dt>
              <dd>{creditsText(prices.privateRoom)}</dd>
            </div>
            <div>
              <dt>Super-secret room</dt>
              <dd>{creditsText(prices.superSecretRoom)}</dd>
            </div>
          </dl>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="section-title">
          History
        </h2>
        {history.isPending ? (
          <p className="empty-state">Loading…</p>
        ) : history.error && entries.length === 0 ? (
          <div className="empty-state" role="alert">
            <p>{errorMessage(history.error)}</p>
            <button type="button" className="button button-secondary" onClick={() => void history.refetch()}>
              Try again
            </button>
          </div>
        ) : entries.length === 0 ? (
          <p className="empty-state">Nothing here yet.</p>
        ) : (
          <ul className="ledger" data-testid="credit-history">
            {entries.map((entry) => (
              <li key={entry.id} className="ledger-row" data-testid="credit-entry" data-reason={entry.reason}>
                <div className="ledger-text">
                  <span className="ledger-reason">{creditReasonLabel(entry.reason)}</span>
                  <time dateTime={entry.createdAt.toISOString()} title={fullDateTime(entry.createdAt)}>
                    {relativeTime(entry.createdAt)}
                  </time>
                  {entry.reference && entry.reason !== "signup" && (
                    <Link href={`/rooms/${entry.reference}`} className="ledger-link">
                      Open room
                    </Link>
                  )}
                </div>
                <span className={`ledger-delta${entry.delta < 0 ? " is-spend" : " is-gain"}`}>
                  {entry.delta > 0 ? "+" : "−"}
                  {Math.abs(entry.delta)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {history.hasNextPage && (
          <div className="load-more">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void history.fetchNextPage()}
              disabled={history.isFetchingNextPage}
              data-testid="credits-load-more"
            >
              {history.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
