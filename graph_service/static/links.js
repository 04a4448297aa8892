"use strict";
// Which IRIs of a result become links: http(s) only, never javascript:, data: or others.
function linkable(iri) {
  return typeof iri === "string" && /^https?:\/\/[^\s]/i.test(iri);
}
if (typeof module !== "undefined") { module.exports = { linkable }; }
