// The public big screen: draws the charts from the JSON in the page, then refreshes the figures in place
// from the data address every `data-refresh` seconds (no reload; a failed fetch keeps what is shown).
(function () {
  "use strict";
  var body = document.body;
  var source = body.getAttribute("data-source");
  var every = (parseInt(body.getAttribute("data-refresh"), 10) || 30) * 1000;
  var colours = ["#5fd4ff", "#f6c85f", "#6fcf97", "#eb5757", "#bb86fc", "#f2994a", "#56ccf2", "#9b51e0", "#27ae60", "#e0e0e0"];
  var charts = {};

  function fmt(v) {
    return typeof v === "number" ? v.toLocaleString("zh-CN") : (v === null || v === undefined ? "–" : String(v));
  }

  function datasets(chart) {
    return (chart.series || []).map(function (s, i) {
      var many = chart.kind === "doughnut";
      return {
        label: s.name,
        data: s.values,
        yAxisID: s.axis === "right" ? "y1" : "y",
        backgroundColor: many ? colours : colours[i % colours.length],
        borderColor: many ? "#11294a" : colours[i % colours.length],
        spanGaps: true,
      };
    });
  }

  function draw(chart) {
    var card = document.querySelector('.screen-card[data-key="' + chart.key + '"]');
    if (!card || chart.kind === "table" || typeof Chart === "undefined") return;
    var canvas = card.querySelector("canvas");
    if (!canvas) return;
    if (charts[chart.key]) {
      charts[chart.key].data.labels = chart.labels;
      charts[chart.key].data.datasets = datasets(chart);
      charts[chart.key].update("none");
      return;
    }
    var right = (chart.series || []).some(function (s) { return s.axis === "right"; });
    var scales = chart.kind === "doughnut" ? {} : {
      x: { ticks: { color: "#9fb6d1" }, grid: { color: "#1f3a5c" } },
      y: { beginAtZero: true, ticks: { color: "#9fb6d1" }, grid: { color: "#1f3a5c" } },
    };
    if (right) scales.y1 = { position: "right", beginAtZero: true, ticks: { color: "#f6c85f" }, grid: { drawOnChartArea: false } };
    charts[chart.key] = new Chart(canvas, {
      type: chart.kind,
      data: { labels: chart.labels, datasets: datasets(chart) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { color: "#cfe3fb" } } },
        indexAxis: chart.horizontal ? "y" : "x",
        scales: scales,
      },
    });
    canvas.parentNode.style.height = "16rem";
  }

  function table(chart) {
    var card = document.querySelector('.screen-card[data-key="' + chart.key + '"]');
    var tbody = card && card.querySelector("tbody");
    if (!tbody) return;
    tbody.textContent = "";
    if (!(chart.rows || []).length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      cell.colSpan = (chart.columns || []).length || 1;
      cell.textContent = tbody.getAttribute("data-empty") || "–";
      empty.appendChild(cell);
      tbody.appendChild(empty);
    }
    (chart.rows || []).forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (cell) {
        var td = document.createElement("td");
        td.textContent = fmt(cell);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  function apply(data) {
    (data.counters || []).forEach(function (c) {
      var el = document.querySelector('.screen-counter[data-key="' + c.key + '"] strong');
      if (el) el.textContent = fmt(c.value);
    });
    (data.charts || []).forEach(function (c) { if (c.kind === "table") table(c); else draw(c); });
    var stamp = document.getElementById("screen-updated");
    if (stamp && data.generated_at) stamp.textContent = new Date(data.generated_at).toLocaleString("zh-CN");
  }

  function refresh() {
    fetch(source, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () {});
  }

  function tick() {
    var clock = document.getElementById("screen-clock");
    if (clock) clock.textContent = new Date().toLocaleString("zh-CN");
  }

  var initial = document.getElementById("screen-data");
  if (initial) apply(JSON.parse(initial.textContent));
  tick();
  setInterval(tick, 1000);
  setInterval(refresh, every);
})();
