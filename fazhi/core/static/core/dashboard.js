// Trend and ranking charts of the dashboard (ECharts, served from the installed package).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") return;
  const trend = echarts.init(document.getElementById("trend-chart"));
  const select = document.getElementById("trend-indicator");
  function drawTrend() {
    const id = select.value;
    trend.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },  // drawn on the canvas: no inline styles (CSP)
      grid: { left: 50, right: 20, top: 20, bottom: 30 },
      xAxis: { type: "category", data: data.years.map((y) => y + "年") },
      yAxis: { type: "value", name: data.units[id] || "" },
      series: [{ type: "line", name: data.names[id], data: data.series[id] || [], connectNulls: false, label: { show: true } }],
    }, true);
  }
  if (select && select.value) { select.addEventListener("change", drawTrend); drawTrend(); }
  const ranking = document.getElementById("ranking-chart");
  if (data.ranking.units.length) {
    echarts.init(ranking).setOption({
      animation: false,
      tooltip: { renderMode: "richText" },
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: data.ranking.units },
      series: [{ type: "bar", data: data.ranking.values, itemStyle: { color: "#9b1c1c" } }],
    });
  } else { ranking.style.display = "none"; }
  window.addEventListener("resize", () => { trend.resize(); });
})();
