// Start Swagger UI on the service's own OpenAPI document (no inline script, no CDN).
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: node.dataset.spec, domNode: node, deepLinking: true });
});
