// Starts Swagger UI on the API docs page. A file rather than an inline script, which the
// Content-Security-Policy would refuse; no validator badge, which would call an outside server.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
  });
});
