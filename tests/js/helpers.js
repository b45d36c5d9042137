// Shared by the Node tests: paths into extension/ and saved editor DOMs parsed with linkedom.
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { parseHTML } = require("linkedom");

const EXTENSION = path.resolve(__dirname, "../../extension");

function ext(file) {
  return require(path.join(EXTENSION, file));
}

/** A saved compose box (tests/js/fixtures/<site>-compose.html) as a linkedom document. */
function savedPage(site) {
  const html = fs.readFileSync(path.join(__dirname, "fixtures", `${site}-compose.html`), "utf8");
  return parseHTML(html);
}

module.exports = { EXTENSION, ext, savedPage, parseHTML };
