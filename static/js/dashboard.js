// Dashboard: draw each figure's chart from the table of numbers beside it (the table stays
// on the page for screen readers and for anyone who prefers the numbers).
(function () {
  "use strict";

  var COLOURS = ["#2f5bea", "#c62828", "#1b7f3b", "#a15c00", "#6a4c93", "#00695c"];

  function readTable(table) {
    var series = Array.from(table.querySelectorAll("thead th")).slice(1).map(function (th) {
      return { label: th.textContent.trim(), data: [] };
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      labels.push(row.querySelector("th").textContent.trim());
      row.querySelectorAll("td").forEach(function (cell, i) {
        series[i].data.push(Number(cell.textContent.trim()));
      });
    });
    return { labels: labels, series: series };
  }

  function draw(figure) {
    var table = figure.querySelector("table");
    if (!table || !window.Chart) return;
    var kind = figure.dataset.chart;
    var data = readTable(table);
    var title = figure.querySelector("h2").textContent.trim();
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title + ": chart; the numbers are in the table below.");
    var holder = document.createElement("div");
    holder.className = "chart-canvas";
    holder.appendChild(canvas);
    figure.insertBefore(holder, figure.querySelector(".chart-data"));
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
            tension: 0.25,
            fill: false
          };
        })
      },
      options: {
        indexAxis: kind === "hbar" ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: data.series.length > 1 } },
        scales: {
          x: { beginAtZero: kind !== "line", ticks: { precision: 0 } },
          y: { beginAtZero: kind !== "line", ticks: { precision: 0 } }
        }
      }
    });
    figure.classList.add("has-chart");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure[data-chart]").forEach(draw);
  });
})();
