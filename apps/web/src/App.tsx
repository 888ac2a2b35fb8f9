import { QueryClientProvider } from "@tanstack/react-query";
import { Redirect, Route, Switch } from "wouter";
import { AppLayout } from "./components/AppLayout";
import { Logo } from "./components/Logo";
import { MeContext } from "./hooks/useMe";
import { errorMessage, trpcCodeOf } from "./lib/errors";
import { CreditsPage } from "./pages/CreditsPage";
import { DirectoryPage } from "./pages/DirectoryPage";
import { DmPage } from "./pages/DmPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { RegisterPage } from "./pages/RegisterPage";
import { RoomPage } from "./pages/RoomPage";
import { SettingsPage } from "./pages/SettingsPage";
import { queryClient, trpc, trpcClient } from "./trpc";

export function App() {
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <AuthGate />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

/** auth.me decides: a user gets the app, UNAUTHORIZED gets the login page, anything else a retry. */
function AuthGate() {
  const me = trpc.auth.me.useQuery(undefined, {
    staleTime: 5 * 60_000,
    retry: (failures, error) => trpcCodeOf(error) !== "UNAUTHORIZED" && failures < 3,
  });

  if (trpcCodeOf(me.error) === "UNAUTHORIZED") {
    return (
      <Switch>
        <Route path="/register" component={RegisterPage} />
        <Route component={LoginPage} />
      </Switch>
    );
  }
  if (me.data) {
    return (
      <MeContext.Provider value={me.data}>
        <AppLayout>
          <Switch>
            <Route path="/" component={DirectoryPage} />
            <Route path="/rooms/:roomId">{({ roomId }) => <RoomPage key={roomId} roomId={roomId} />}</Route>
            <Route path="/dm/:peerId">{({ peerId }) => <DmPage key={peerId} peerId={peerId} />}</Route>
            <Route path="/credits" component={CreditsPage} />
            <Route path="/settings" component={SettingsPage} />
            <Route path="/login">
              <Redirect to="/" replace />
            </Route>
            <Route path="/register">
              <Redirect to="/" replace />
            </Route>
            <Route component={NotFoundPage} />
          </Switch>
        </AppLayout>
      </MeContext.Provider>
    );
  }
  if (me.error) {
    return (
      <main className="splash" role="alert">
        <Logo size={48} />
        <p>{errorMessage(me.error)}</p>
        <button type="button" className="button button-primary" onClick={() => void me.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  return (
    <main className="splash" aria-busy="true">
      <Logo size={48} />
      <p className="visually-hidden">Loading Murmur…</p>
    </main>
  );
}
