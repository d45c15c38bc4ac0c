// Start Swagger UI on the service's own OpenAPI document (no inline script, no CDN).
// Without deep links: they put a link inside each operation's button (a control in a control,
// which a screen reader cannot reach).
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  // Swagger names each operation's button "get ​/api​/grids" (with zero-width spaces), which is
  // not the text it shows; without that name the button is named by its text, as it reads.
  function nameByText(root) {
    root.querySelectorAll(".opblock-summary-control[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label");
    });
  }
  new MutationObserver(function () { nameByText(node); })
    .observe(node, { subtree: true, childList: true, attributes: true,
                     attributeFilter: ["aria-label"] });
  window.SwaggerUIBundle({ url: node.dataset.spec, domNode: node, deepLinking: false });
});
