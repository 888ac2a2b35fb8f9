import type { ReactNode } from "react";
import { BlockedUsers } from "../components/settings/BlockedUsers";
import { ChangePasswordForm } from "../components/settings/ChangePasswordForm";
import { NotificationSettings } from "../components/settings/NotificationSettings";
import { PushSettings } from "../components/settings/PushSettings";
import { SessionsList } from "../components/settings/SessionsList";
import { useMe } from "../hooks/useMe";

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card settings-card" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function SettingsPage() {
  const me = useMe();
  return (
    <div className="page narrow-page" data-testid="settings-page">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-subtitle">
            Signed in as <strong>{me.username}</strong> · {me.email}
          </p>
        </div>
      </header>
      <Section id="notifications-heading" title="Notifications">
        <NotificationSettings />
        <PushSettings />
      </Section>
      <Section id="password-heading" title="Password">
        <ChangePasswordForm />
      </Section>
      <Section id="sessions-heading" title="Sessions">
        <SessionsList />
      </Section>
      <Section id="blocked-heading" title="Blocked users">
        <BlockedUsers />
      </Section>
    </div>
  );
}
