import { defineConfig } from "vite";

// The website chat widget: one self-contained, unhashed `dist/widget.js` (an IIFE with its
// CSS inlined) that shops embed with <script src=".../widget.js" data-key="wk_…" async>.
// Built after the dashboard into the same `dist/`, so it must not empty it.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: false,
    sourcemap: false,
    minify: true,
    copyPublicDir: false,
    // Shops' visitors use older phones too: keep plain `max-width` media queries and the
    // `100vh` fallback for browsers without `dvh`.
    cssTarget: ["chrome90", "edge90", "firefox90", "safari14"],
    lib: {
      entry: "widget/widget.ts",
      formats: ["iife"],
      name: "FrontlineChat",
      fileName: () => "widget.js",
    },
  },
});
