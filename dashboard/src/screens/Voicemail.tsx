// A voicemail: its transcription (as text), and its audio fetched on request through the
// API with the signed-in token (the browser never sees Twilio's URL or credentials).

import { useEffect, useState } from "preact/hooks";
import { download } from "../api";
import type { Voicemail } from "../types";

/** A voicemail: its transcription, and a player loaded on request through the API. */
export function VoicemailPlayer({ vm }: { vm: Pick<Voicemail, "audio"> & Partial<Voicemail> }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (src && URL.revokeObjectURL(src)), [src]);
  const load = async () => {
    setError(null);
    try {
      setSrc(URL.createObjectURL(await download(vm.audio)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="stack voicemail">
      {vm.transcription && <blockquote>{vm.transcription}</blockquote>}
      {src ? (
        <audio controls autoplay src={src} aria-label="Voicemail audio" />
      ) : (
        <button type="button" onClick={() => void load()}>
          Play voicemail{vm.duration_s ? ` (${vm.duration_s} s)` : ""}
        </button>
      )}
      {error && <p class="state error">{error}</p>}
    </div>
  );
}
