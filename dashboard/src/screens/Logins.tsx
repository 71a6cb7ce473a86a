// Logins (owner only, in Settings): the shop's owner and staff logins. Add one with a
// first password to pass on; change a role; disable a login (it is signed out at once
// and cannot sign in until enabled) or remove it. Your own login is shown, not changed.

import { useState } from "preact/hooks";
import { api } from "../api";
import type { Me, Page, UserPatch, UserRow } from "../types";
import { ErrorNote, Loaded, useChange, useLoad } from "../ui";

export function Logins() {
  const users = useLoad(async () => {
    const [page, me] = await Promise.all([api<Page<UserRow>>("GET", "/v1/auth/users"), api<Me>("GET", "/v1/auth/me")]);
    return { items: page.items, me: me.email.toLowerCase() };
  }, []);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<"staff" | "owner">("staff");
  const { busy, error, news, change } = useChange(users.reload);
  const path = (u: UserRow) => `/v1/auth/users/${encodeURIComponent(u.email)}`;
  const patch = (u: UserRow, body: UserPatch, done: string) =>
    void change(async () => {
      await api<UserRow>("PATCH", path(u), body);
      return done;
    });
  const add = (e: Event) => {
    e.preventDefault();
    void change(async () => {
      await api("POST", "/v1/auth/users", { email: email.trim(), password, role });
      const who = email.trim();
      setEmail("");
      setPassword("");
      return `${who} can sign in now with the password you chose; ask them to change it.`;
    });
  };

  return (
    <section class="card stack logins" aria-labelledby="logins-title">
      <h2 id="logins-title">Logins</h2>
      <p class="muted">Everyone who signs in to this dashboard. Staff see the calendar, calls and customers; only owners change settings.</p>
      <form class="stack" onSubmit={add}>
        <label>
          Email
          <input type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          First password (10 characters or more)
          <input type="password" required minLength={10} autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as "staff" | "owner")}>
            <option value="staff">Staff</option>
            <option value="owner">Owner</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Add login
        </button>
      </form>
      {error && <ErrorNote error={error} />}
      <div role="status" aria-live="polite">
        {news && <p class="state ok">{news}</p>}
      </div>
      <Loaded
        load={users}
        what="logins"
        render={(d) => (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((u) => {
                const mine = u.email.toLowerCase() === d.me;
                return (
                  <tr key={u.email}>
                    <th scope="row">
                      {u.email}
                      {mine ? " (you)" : ""}
                    </th>
                    <td>
                      {mine ? (
                        u.role
                      ) : (
                        <select
                          aria-label={`Role of ${u.email}`}
                          value={u.role}
                          disabled={busy}
                          onChange={(e) => patch(u, { role: e.currentTarget.value as "owner" | "staff" }, `${u.email} is now ${e.currentTarget.value}; they sign in again.`)}
                        >
                          <option value="staff">staff</option>
                          <option value="owner">owner</option>
                        </select>
                      )}
                    </td>
                    <td>{u.disabled ? "Disabled" : "Active"}</td>
                    <td class="actions">
                      {!mine && (
                        <>
                          <button
                            type="button"
                            disabled={busy}
                            aria-label={`${u.disabled ? "Enable" : "Disable"} ${u.email}`}
                            onClick={() =>
                              patch(
                                u,
                                { disabled: !u.disabled },
                                u.disabled ? `${u.email} can sign in again.` : `${u.email} is signed out and cannot sign in.`,
                              )
                            }
                          >
                            {u.disabled ? "Enable" : "Disable"}
                          </button>
                          <button
                            type="button"
                            class="danger"
                            disabled={busy}
                            aria-label={`Remove ${u.email}`}
                            onClick={() => {
                              if (!confirm(`Remove ${u.email}? They are signed out at once.`)) return;
                              void change(async () => {
                                await api<void>("DELETE", path(u));
                                return `${u.email} removed.`;
                              });
                            }}
                          >
                            Remove
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      />
    </section>
  );
}
