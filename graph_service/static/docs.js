"use strict";
// The API browser at /docs: Swagger UI from the fastapi-offline package, started by this file (no inline script).
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
