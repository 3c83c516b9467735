/* The dashboard's charts (Apache ECharts). Every bar or point opens the case list behind it;
   an area bar on the overview opens that district's dashboard. Data comes from the page
   (json_script "dashboard-data"), the same figures the table views show. */
(function () {
  "use strict";
  var el = document.getElementById("dashboard-data");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var s = data.series;
  var charts = {};

  function go(url) { if (url) { window.location.href = url; } }

  function bar(id, labels, values, links, opts) {
    var node = document.getElementById("chart-" + id);
    if (!node) { return; }
    var chart = echarts.init(node);
    var option = {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 30, bottom: 60 },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: (opts && opts.unit) || "" },
      series: [{ type: "bar", data: values, name: (opts && opts.name) || "", itemStyle: { color: "#0d6efd" } }]
    };
    if (opts && opts.extra) { option.series.push(opts.extra); option.legend = { top: 0 }; }
    chart.setOption(option);
    chart.on("click", function (p) {
      var which = (p.seriesIndex === 1 && opts && opts.extraLinks) ? opts.extraLinks : links;
      go(which[p.dataIndex]);
    });
    charts[id] = chart;
  }

  function pluck(rows, key) { return rows.map(function (r) { return r[key]; }); }

  bar("by_month", pluck(s.by_month, "month"), pluck(s.by_month, "count"), pluck(s.by_month, "link"), {
    name: "本期 This period", unit: "件",
    extra: { type: "line", name: "上年同期 A year earlier", data: pluck(s.by_month, "last_year"), itemStyle: { color: "#fd7e14" } },
    extraLinks: pluck(s.by_month, "link_last_year")
  });
  // Overview: a district's bar opens its dashboard; elsewhere a bar opens the case list.
  bar("by_area", pluck(s.by_area, "name"), pluck(s.by_area, "count"),
      s.by_area.map(function (r) { return r.dashboard || r.link; }), { name: "案件量 Volume", unit: "件" });
  bar("by_channel", pluck(s.by_channel, "label"), pluck(s.by_channel, "count"), pluck(s.by_channel, "link"),
      { name: "案件量 Volume", unit: "件" });
  bar("by_type", pluck(s.by_type, "label"), pluck(s.by_type, "count"), pluck(s.by_type, "link"),
      { name: "案件量 Volume", unit: "件" });
  bar("within_by_area", pluck(s.by_area, "name"), pluck(s.by_area, "within_limit_rate"), pluck(s.by_area, "within_link"),
      { name: "法定期限内结案率 Within limit %", unit: "%" });
  bar("amount_by_area", pluck(s.by_area, "name"), pluck(s.by_area, "amount_recovered"), pluck(s.by_area, "resolved_link"),
      { name: "追回金额 Recovered", unit: "元" });

  document.querySelectorAll(".table-toggle").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var key = btn.getAttribute("data-target");
      var table = document.getElementById("table-" + key);
      var chart = document.getElementById("chart-" + key);
      var showTable = table.classList.contains("d-none");
      table.classList.toggle("d-none", !showTable);
      chart.classList.toggle("d-none", showTable);
      btn.textContent = showTable ? "图表 Chart" : "表格 Table";
      if (!showTable && charts[key]) { charts[key].resize(); }
    });
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
}());
