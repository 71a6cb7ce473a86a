// Customers: search, a customer's profile and timeline, merging duplicates, and (owner
// only) the CSV import and exports. The search text is sent in the request only; the
// page's address never holds it.

import { useState } from "preact/hooks";
import { api, qs } from "../api";
import { dateTime, label, phone } from "../format";
import type { Customer, Page, TimelineItem } from "../types";
import { Badge, Empty, ErrorNote, Loaded, message, useLoad } from "../ui";
import { CallDetail } from "./Calls";
import { Dialog } from "../ui";
import { Exports, ImportCustomers } from "./ImportExport";
import { Sent } from "./Sent";

export function Customers({ owner }: { owner: boolean }) {
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useLoad(() => api<Page<Customer>>("GET", `/v1/crm/customers${qs({ q: query, limit: 50 })}`), [query]);
  return (
    <section aria-labelledby="cust-title">
      <div class="title-row">
        <h1 id="cust-title">Customers</h1>
        {owner && (
          <div class="toolbar">
            <button type="button" onClick={() => setImporting(true)}>
              Import customers
            </button>
            <Exports />
          </div>
        )}
      </div>
      {importing && (
        <ImportCustomers
          onClose={(imported) => {
            setImporting(false);
            if (imported) void list.reload();
          }}
        />
      )}
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <label class="grow">
          Search by name, phone, street or email
          <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <div class="split">
        <div>
          <Loaded
            load={list}
            what="customers"
            render={(p) =>
              p.items.length === 0 ? (
                <Empty>{query ? "No customer matches that search." : "No customers yet. They appear as people call and text."}</Empty>
              ) : (
                <ul class="list customers">
                  {p.items.map((c) => (
                    <li key={c.id}>
                      <button type="button" class="row" aria-pressed={selected === c.id} onClick={() => setSelected(c.id)}>
                        <strong>{c.name ?? "No name"}</strong>
                        <span class="muted">
                          {phone(c.phone)} · {c.address ?? "no address"}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )
            }
          />
        </div>
        <div>
          {selected ? (
            <Profile
              key={selected}
              id={selected}
              owner={owner}
              onMerged={() => {
                void list.reload();
              }}
            />
          ) : (
            <Empty>Pick a customer to see their history.</Empty>
          )}
        </div>
      </div>
    </section>
  );
}

function Profile({ id, owner, onMerged }: { id: string; owner: boolean; onMerged: () => void }) {
  const path = `/v1/crm/customers/${encodeURIComponent(id)}`;
  const customer = useLoad(() => api<Customer>("GET", path), [id]);
  const timeline = useLoad(() => api<Page<TimelineItem>>("GET", `${path}/timeline`), [id]);
  const dupes = useLoad(() => api<Page<{ customer: Customer; reasons: string[] }>>("GET", `${path}/duplicates`), [id]);
  const [call, setCall] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const merge = async (other: Customer) => {
    if (!confirm(`Merge ${other.name ?? phone(other.phone)} into this customer? Their calls, texts and jobs move here.`)) return;
    try {
      await api("POST", `${path}/merge`, { duplicate_id: other.id });
      setError(null);
      await Promise.all([customer.reload(), timeline.reload(), dupes.reload()]);
      onMerged();
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <div class="card">
      <Loaded
        load={customer}
        what="the customer"
        render={(c) => (
          <>
            <h2>{c.name ?? "No name"}</h2>
            <dl class="facts">
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${c.phone}`}>{phone(c.phone)}</a>
                {c.other_phones.length > 0 && <span class="muted"> (also {c.other_phones.map(phone).join(", ")})</span>}
              </dd>
              <dt>Address</dt>
              <dd>{c.address ?? "—"}</dd>
              <dt>Email</dt>
              <dd>{c.email ?? "—"}</dd>
              {c.notes && (
                <>
                  <dt>Notes</dt>
                  <dd>{c.notes}</dd>
                </>
              )}
              <dt>Customer since</dt>
              <dd>{c.created_at ? dateTime(c.created_at) : "—"}</dd>
            </dl>
          </>
        )}
      />
      {error && <ErrorNote error={error} />}
      <Loaded
        load={dupes}
        what="possible duplicates"
        render={(d) =>
          d.items.length === 0 ? null : (
            <div class="banner warn">
              <h3>Possible duplicates</h3>
              <ul class="list">
                {d.items.map(({ customer: o, reasons }) => (
                  <li key={o.id}>
                    <span>
                      <strong>{o.name ?? "No name"}</strong> · {phone(o.phone)} · {o.address ?? "no address"}{" "}
                      <span class="muted">(same {reasons.join(", ")})</span>
                    </span>
                    {owner && (
                      <button type="button" onClick={() => void merge(o)}>
                        Merge into this customer
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )
        }
      />
      <h3>History</h3>
      <Loaded
        load={timeline}
        what="history"
        render={(t) =>
          t.items.length === 0 ? (
            <Empty>No calls, texts or jobs yet.</Empty>
          ) : (
            <ol class="timeline">
              {t.items.map((it) => (
                <li key={it.kind + it.id + it.at}>
                  <time dateTime={it.at}>{dateTime(it.at)}</time>
                  <div>
                    <Badge kind="muted">{it.kind}</Badge>{" "}
                    {it.kind === "call" ? (
                      <button type="button" class="link" onClick={() => setCall(it.id)}>
                        {it.summary}
                      </button>
                    ) : (
                      it.summary
                    )}{" "}
                    {it.status && <span class="muted">· {label(it.status)}</span>}
                  </div>
                </li>
              ))}
            </ol>
          )
        }
      />
      <Sent filter={{ customer_id: id }} />
      {call && (
        <Dialog title="Call" onClose={() => setCall(null)}>
          <CallDetail sid={call} />
        </Dialog>
      )}
    </div>
  );
}
