// Draws one bar chart per year from the page's `data_table` (year -> 12 months + the yearly
// total). Chart.js is served from this site (static/chart.umd.min.js), never from a CDN.
(function () {
  "use strict";
  function isPowerOfTen(value) {
    return Math.abs(Math.log10(value) % 1) < 1e-9;
  }
  function draw(canvas, months) {
    new Chart(canvas.getContext("2d"), {
      type: "bar",
      data: {
        labels: months.map(function (m) {
          return m.month;
        }),
        datasets: [
          {
            label: "Distinct IPs",
            data: months.map(function (m) {
              return m.unique_ips;
            }),
            backgroundColor: "#aaaaff",
            borderWidth: 1,
          },
          {
            label: "Downloads",
            data: months.map(function (m) {
              return m.downloads;
            }),
            backgroundColor: "#ddddff",
            borderWidth: 1,
          },
        ],
      },
      options: {
        responsive: false,
        scales: {
          y: {
            type: "logarithmic",
            min: 0.9,
            ticks: {
              callback: function (value) {
                return isPowerOfTen(value) ? String(value) : undefined;
              },
            },
          },
        },
      },
    });
  }
  var canvases = document.querySelectorAll("canvas.barchart");
  for (var i = 0; i < canvases.length; i++) {
    var year = canvases[i].id.replace("barchart_", "");
    var rows = (window.data_table || {})[year] || [];
    draw(
      canvases[i],
      rows.filter(function (r) {
        return r.month !== "all";
      }),
    );
  }
})();
