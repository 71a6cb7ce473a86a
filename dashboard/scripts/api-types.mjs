// The dashboard's API types, generated from the OpenAPI document (openapi.json, written
// by `cargo run -p local -- openapi`; `bash scripts/api-types.sh` refreshes both) with
// json-schema-to-typescript. `--check` fails when src/api.gen.ts is not what the document
// generates (the dashboard's build runs it).
import { readFile, writeFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";

const doc = JSON.parse(await readFile(new URL("../openapi.json", import.meta.url), "utf8"));
const target = new URL("../src/api.gen.ts", import.meta.url);
const names = Object.keys(doc.components.schemas).sort();
// One root that names every component, so each becomes an exported type of its own name.
const root = {
  title: "ApiSchemas",
  type: "object",
  properties: Object.fromEntries(names.map((n) => [n, { $ref: `#/components/schemas/${n}` }])),
  required: names,
  additionalProperties: false,
  components: doc.components,
};
const source = await compile(root, "ApiSchemas", {
  bannerComment:
    "// Generated from dashboard/openapi.json by scripts/api-types.mjs: do not edit.\n" +
    `// ${doc.info.title} ${doc.info.version}`,
  additionalProperties: false,
  unreachableDefinitions: false,
  format: false,
});
if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== source) {
    console.error("src/api.gen.ts is stale: run `bash scripts/api-types.sh`");
    process.exit(1);
  }
} else {
  await writeFile(target, source);
  console.log(`wrote src/api.gen.ts (${names.length} schemas)`);
}
