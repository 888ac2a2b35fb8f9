import { creditsText } from "../lib/credits";
import type { Privacy } from "../lib/rooms";

/** What the room will cost and what the user has, shown before they commit to a paid room. */
export function RoomPriceSummary({
  privacy,
  price,
  balance,
}: {
  privacy: Privacy;
  price: number | null;
  balance: number | null;
}) {
  const short = price !== null && balance !== null && price > balance;
  return (
    <div
      className={`price-summary${short ? " is-short" : ""}`}
      data-testid="create-room-price"
      data-price={price ?? undefined}
      aria-live="polite"
    >
      {privacy === "public" ? (
        <span>Public rooms are free.</span>
      ) : price === null ? (
        <span>Checking the price…</span>
      ) : (
        <>
          <span>
            Costs <strong>{creditsText(price)}</strong>
            {balance !== null && <> · you have {creditsText(balance)}</>}
          </span>
          {short && (
            <span className="price-warning" role="alert">
              You need {creditsText(price - (balance ?? 0))} more to create a{" "}
              {privacy === "private" ? "private" : "super-secret"} room.
            </span>
          )}
        </>
      )}
    </div>
  );
}
