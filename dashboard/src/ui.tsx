// Small shared pieces: loading/error/empty states, a data-loading hook and a dialog.

import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";

export type Load<T> = {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
};

/** Runs `fetcher` now and whenever `deps` change; keeps the last data while reloading. */
export function useLoad<T>(fetcher: () => Promise<T>, deps: unknown[]): Load<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await fetcher();
      if (mine === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(message(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}

/** A change the user makes from a list (create, rotate, disable…): `change(run)` clears
 * the last outcome, runs `run` (which says what it did), then `reload`s the list; `busy`
 * while it runs, `error` when it failed, `news` when it worked. */
export function useChange(reload: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [news, setNews] = useState("");
  const change = async (run: () => Promise<string>) => {
    setError(null);
    setNews("");
    setBusy(true);
    try {
      setNews(await run());
      await reload();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, setBusy, error, setError, news, setNews, change };
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof TypeError) return "Frontline could not be reached. Check the connection and try again.";
  return String(e);
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, retry }: { error: string; retry?: () => void }) {
  return (
    <div class="state error" role="alert">
      <span>{error}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

/** Shows loading, error or empty states around `render(data)`. */
export function Loaded<T>({
  load,
  what,
  empty,
  render,
}: {
  load: Load<T>;
  what: string;
  empty?: (d: T) => boolean;
  render: (d: T) => ComponentChildren;
}) {
  if (load.error && !load.data) return <ErrorNote error={load.error} retry={() => void load.reload()} />;
  if (!load.data) return <Loading what={what} />;
  return (
    <>
      {load.error && <ErrorNote error={load.error} retry={() => void load.reload()} />}
      {empty?.(load.data) ? <Empty>No {what} yet.</Empty> : render(load.data)}
    </>
  );
}

/** A modal dialog (native `<dialog>`: focus is trapped and Escape closes it). */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-label={title} onClose={onClose}>
      <header>
        <h2>{title}</h2>
        <button type="button" class="ghost" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      {children}
    </dialog>
  );
}

export function Badge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={`badge ${kind}`}>{children}</span>;
}

/** The outcome of a call as a badge. */
export function Outcome({ outcome }: { outcome: string }) {
  const kind =
    outcome === "emergency_dispatched"
      ? "danger"
      : outcome === "booked" || outcome === "rescheduled"
        ? "ok"
        : outcome === "abandoned" || outcome === "message_taken"
          ? "warn"
          : "muted";
  return <Badge kind={kind}>{outcome.replace(/_/g, " ")}</Badge>;
}
