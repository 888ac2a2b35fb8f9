import { Link, useLocation } from "wouter";
import { useOpenDialog } from "../hooks/useAppDialogs";
import { useMe } from "../hooks/useMe";
import { useSession } from "../hooks/useSession";
import { useCredits } from "../hooks/useSidebarData";
import { creditsText } from "../lib/credits";
import { errorMessage } from "../lib/errors";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";
import { Logo } from "./Logo";
import { SidebarDms } from "./SidebarDms";
import { SidebarRooms } from "./SidebarRooms";

export function Sidebar({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const [location] = useLocation();
  const openDialog = useOpenDialog();
  const credits = useCredits();
  const { logout, loggingOut, logoutError } = useSession();

  return (
    <nav id="sidebar" className="sidebar" data-open={open} aria-label="Main">
      <div className="sidebar-header">
        <Link href="/" className="brand">
          <Logo />
          <span>Murmur</span>
        </Link>
        <button type="button" className="icon-button sidebar-close" aria-label="Close menu" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      <div className="sidebar-actions">
        <Link
          href="/"
          className="sidebar-link"
          aria-current={location === "/" ? "page" : undefined}
          data-testid="browse-link"
        >
          <Icon name="compass" size={18} />
          <span>Browse rooms</span>
        </Link>
        <button
          type="button"
          className="sidebar-link"
          onClick={() => openDialog("create-room")}
          data-testid="create-room-button"
        >
          <Icon name="plus" size={18} />
          <span>Create room</span>
        </button>
        <button
          type="button"
          className="sidebar-link"
          onClick={() => openDialog("join-by-code")}
          data-testid="join-code-button"
        >
          <Icon name="enter" size={18} />
          <span>Join by code</span>
        </button>
      </div>

      <div className="sidebar-scroll">
        <SidebarRooms />
        <SidebarDms onNewMessage={() => openDialog("new-message")} />
      </div>

      <Link
        href="/credits"
        className="sidebar-credits"
        aria-current={location === "/credits" ? "page" : undefined}
        data-testid="credits-link"
      >
        <Icon name="coins" size={18} />
        <span>Credits</span>
        <span className="sidebar-credits-value" data-testid="credits-balance" data-balance={credits.data?.balance}>
          {credits.data ? creditsText(credits.data.balance) : "…"}
        </span>
      </Link>

      <div className="sidebar-footer">
        <Avatar name={me.username} online />
        <div className="sidebar-user">
          <span className="sidebar-username" data-testid="current-user">
            {me.username}
          </span>
          {logoutError ? (
            <span className="sidebar-user-error" role="alert">
              {errorMessage(logoutError)}
            </span>
          ) : (
            <span className="sidebar-user-status">Online</span>
          )}
        </div>
        <Link
          href="/settings"
          className="icon-button"
          aria-label="Settings"
          title="Settings"
          aria-current={location === "/settings" ? "page" : undefined}
          data-testid="settings-link"
        >
          <Icon name="settings" size={18} />
        </Link>
        <button
          type="button"
          className="icon-button"
          onClick={() => void logout()}
          disabled={loggingOut}
          aria-label="Log out"
          title="Log out"
          data-testid="logout-button"
        >
          <Icon name="logout" size={18} />
        </button>
      </div>
    </nav>
  );
}
