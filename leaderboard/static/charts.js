// Draw every .vega-chart from its spec URL with vega-embed, served by this service.
// `ast: true` makes Vega interpret expressions instead of compiling them with eval, so the
// page runs under a Content-Security-Policy without 'unsafe-eval'.
(function () {
  function draw(node) {
    fetch(node.dataset.spec, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (spec) {
        // No action menu and no injected default styles (embed, tooltip): they add inline styles, which the
        // page's CSP refuses; the page offers its own download menu under each chart.
        return window.vegaEmbed(node, spec, {
          ast: true,
          renderer: "svg",
          actions: false,
          defaultStyle: false,
          tooltip: { disableDefaultStyle: true },
        });
      })
      .catch(function (error) {
        node.textContent = "This chart could not be drawn (" + error.message + ").";
        node.classList.add("chart-error");
      });
  }
  document.querySelectorAll(".vega-chart[data-spec]").forEach(draw);
  // Embed snippets name this page's own origin, as the browser knows it.
  document.querySelectorAll("textarea.embed-code").forEach(function (box) {
    box.value = box.value.replace('src="/', 'src="' + window.location.origin + "/");
  });
})();
