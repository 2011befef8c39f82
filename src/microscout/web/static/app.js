// Progressive enhancement only: pages work without this file; with it, charts are drawn.
"use strict";
function drawCharts() {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = document.getElementById(el.dataset.chart);
    if (!spec) return;
    var fig = JSON.parse(spec.textContent);
    Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: true }).then(function () {
      el.dataset.drawn = String(fig.data.length);
    });
  });
}
window.addEventListener("load", drawCharts);
