// Debian's Chromium for the browser tests, started as the machine's probe starts it: no
// sandbox (root), no GPU, and none of the background connections this closed network
// refuses. Env: CHROMIUM (default /usr/bin/chromium).

import { chromium } from "playwright-core";

/** A headless Chromium for one test file. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
