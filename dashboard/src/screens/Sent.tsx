// What was sent about a call or to a customer (GET /v1/crm/notifications, filtered):
// each text or alert with its recipient (masked), when, its words and what became of it.

import { api, qs } from "../api";
import { dateTime, label } from "../format";
import type { NotificationRow, Page } from "../types";
import { Badge, Empty, Loaded, useLoad } from "../ui";

/** `filter` is `{ call_sid }` or `{ customer_id }`. */
export function Sent({ filter }: { filter: { call_sid?: string; customer_id?: string } }) {
  const key = filter.call_sid ?? filter.customer_id ?? "";
  const sent = useLoad(() => api<Page<NotificationRow>>("GET", `/v1/crm/notifications${qs({ ...filter, limit: 50 })}`), [key]);
  const tone = (status: string) => (["sent", "delivered"].includes(status) ? "ok" : ["failed", "undelivered"].includes(status) ? "danger" : "muted");
  return (
    <>
      <h3>Texts and alerts sent</h3>
      <Loaded
        load={sent}
        what="what was sent"
        render={(p) =>
          p.items.length === 0 ? (
            <Empty>Nothing sent.</Empty>
          ) : (
            <ul class="list sent" aria-label="Texts and alerts sent">
              {p.items.map((n) => (
                <li key={n.event_id + n.channel}>
                  <time dateTime={n.created_at}>{dateTime(n.created_at)}</time> <Badge kind={tone(n.status)}>{label(n.status)}</Badge>{" "}
                  <span class="muted">
                    {label(n.kind)} to {n.recipient}
                  </span>
                  <p>{n.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      />
    </>
  );
}
