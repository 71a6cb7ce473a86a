// The app shell: sign-in, navigation and the screens. Screens are addressed by a hash
// (`#/today`) that never carries customer data; what is selected lives in memory.

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, configure, refresh, signOut, type Session } from "./api";
import { setZone } from "./format";
import { Analytics } from "./screens/Analytics";
import { Calendar } from "./screens/Calendar";
import { Calls } from "./screens/Calls";
import { Customers } from "./screens/Customers";
import { Settings } from "./screens/Settings";
import { SignIn } from "./screens/SignIn";
import { TodayScreen } from "./screens/Today";
import "./style.css";

const SCREENS = [
  { id: "today", name: "Today", owner: false },
  { id: "calendar", name: "Calendar", owner: false },
  { id: "calls", name: "Calls & texts", owner: false },
  { id: "customers", name: "Customers", owner: false },
  { id: "analytics", name: "Analytics", owner: true },
  { id: "settings", name: "Settings", owner: false },
] as const;
type ScreenId = (typeof SCREENS)[number]["id"];

function current(): ScreenId {
  const id = location.hash.replace(/^#\/?/, "");
  return (SCREENS.find((s) => s.id === id)?.id ?? "today") as ScreenId;
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [screen, setScreen] = useState<ScreenId>(current());
  const [business, setBusiness] = useState("");

  useEffect(() => {
    void (async () => {
      await configure(() => setSession(null));
      setSession(await refresh());
    })();
    const onHash = () => setScreen(current());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  useEffect(() => {
    if (!session) return;
    void api<{ time_zone: string }>("GET", "/v1/owner/settings/scheduling")
      .then((s) => setZone(s.time_zone))
      .catch(() => undefined);
    void api<{ email: string; tenant_id: string }>("GET", "/v1/auth/me")
      .then((m) => setBusiness(m.email))
      .catch(() => undefined);
  }, [session]);

  if (session === undefined) return <p class="state loading">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;

  const owner = session.role === "owner";
  const screens = SCREENS.filter((s) => owner || !s.owner);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Frontline</span>
        <nav aria-label="Screens">
          {screens.map((s) => (
            <a key={s.id} href={`#/${s.id}`} aria-current={screen === s.id ? "page" : undefined}>
              {s.name}
            </a>
          ))}
        </nav>
        <span class="who" title={business}>
          {business}
        </span>
        <button type="button" class="ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screen === "today" && <TodayScreen />}
        {screen === "calendar" && <Calendar />}
        {screen === "calls" && <Calls />}
        {screen === "customers" && <Customers owner={owner} />}
        {screen === "analytics" && owner && <Analytics />}
        {screen === "settings" && <Settings owner={owner} />}
      </main>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
