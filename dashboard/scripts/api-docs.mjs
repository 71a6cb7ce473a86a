// The API reference page at /api/ (dist/api/): Swagger UI from the swagger-ui-dist package,
// bundled with the dashboard (no CDN), reading the stage's OpenAPI document at
// `<api_base>/v1/openapi.json` (`api_base` from the dashboard's config.json).
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const ui = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const out = new URL("../dist/api/", import.meta.url);
await mkdir(out, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  await copyFile(path.join(ui, f), new URL(f, out));
}
await writeFile(
  new URL("index.html", out),
  `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Frontline API reference</title>
  <link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="reference.js"></script>
</body>
</html>
`,
);
await writeFile(
  new URL("reference.js", out),
  `// Where the API is comes from the dashboard's config.json ("" is this origin).
fetch("../config.json")
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}))
  .then((cfg) => {
    window.ui = SwaggerUIBundle({
      url: (cfg.api_base || "") + "/v1/openapi.json",
      dom_id: "#reference",
      deepLinking: false,
    });
  });
`,
);
console.log("wrote dist/api/ (Swagger UI reference)");
