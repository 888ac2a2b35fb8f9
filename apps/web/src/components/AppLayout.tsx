import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useLocation } from "wouter";
import { AppDialogsContext, type AppDialog } from "../hooks/useAppDialogs";
import { LiveProvider } from "../live/LiveProvider";
import { ConnectionBanner } from "./ConnectionBanner";
import { CreateRoomDialog } from "./CreateRoomDialog";
import { Icon } from "./Icon";
import { JoinByCodeDialog } from "./JoinByCodeDialog";
import { Logo } from "./Logo";
import { NotificationBanner } from "./NotificationBanner";
import { Sidebar } from "./Sidebar";
import { StartDmDialog } from "./StartDmDialog";

export function AppLayout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [dialog, setDialog] = useState<AppDialog | null>(null);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  const closeDialog = useCallback(() => setDialog(null), []);
  const openDialog = useCallback((which: AppDialog) => {
    setMenuOpen(false);
    setDialog(which);
  }, []);

  // On a phone the menu covers the page; following a link should reveal where it went.
  useEffect(closeMenu, [location, closeMenu]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") setMenuOpen(false);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [menuOpen]);

  return (
    <LiveProvider>
      <AppDialogsContext.Provider value={openDialog}>
        <div className="app-shell">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <Sidebar open={menuOpen} onClose={closeMenu} />
          {menuOpen && <div className="sidebar-scrim" onClick={closeMenu} aria-hidden="true" />}
          <div className="main-column">
            <header className="mobile-topbar">
              <button
                type="button"
                className="icon-button"
                aria-label="Open menu"
                aria-expanded={menuOpen}
                aria-controls="sidebar"
                onClick={() => setMenuOpen(true)}
                data-testid="menu-button"
              >
                <Icon name="menu" />
              </button>
              <span className="mobile-brand">
                <Logo size={24} />
                Murmur
              </span>
            </header>
            <ConnectionBanner />
            <NotificationBanner />
            <main id="main" className="main" tabIndex={-1}>
              {children}
            </main>
          </div>
          {dialog === "create-room" && <CreateRoomDialog onClose={closeDialog} />}
          {dialog === "join-by-code" && <JoinByCodeDialog onClose={closeDialog} />}
          {dialog === "new-message" && <StartDmDialog onClose={closeDialog} />}
        </div>
      </AppDialogsContext.Provider>
    </LiveProvider>
  );
}
