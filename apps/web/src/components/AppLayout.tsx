import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useLocation } from "wouter";
import { CreateRoomContext } from "../hooks/useCreateRoom";
import { ConnectionBanner } from "./ConnectionBanner";
import { CreateRoomDialog } from "./CreateRoomDialog";
import { Icon } from "./Icon";
import { Logo } from "./Logo";
import { Sidebar } from "./Sidebar";

export function AppLayout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [creatingRoom, setCreatingRoom] = useState(false);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  const openCreateRoom = useCallback(() => {
    setMenuOpen(false);
    setCreatingRoom(true);
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
    <CreateRoomContext.Provider value={openCreateRoom}>
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
          <main id="main" className="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        {creatingRoom && <CreateRoomDialog onClose={() => setCreatingRoom(false)} />}
      </div>
    </CreateRoomContext.Provider>
  );
}
