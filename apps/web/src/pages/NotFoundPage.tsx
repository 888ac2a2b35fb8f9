import { Link } from "wouter";

export function NotFoundPage() {
  return (
    <div className="page empty-state">
      <h1>Page not found</h1>
      <p>There's nothing at this address.</p>
      <Link href="/" className="button button-primary">
        Browse rooms
      </Link>
    </div>
  );
}
