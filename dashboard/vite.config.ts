import { defineConfig } from "vite";

// Static output for S3/CloudFront (and the local runner at `/`): relative asset paths,
// no source maps shipped, `config.json` copied from `public/` and replaced per stage.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", sourcemap: false, chunkSizeWarningLimit: 600 },
});
