/* rectify site: draws the dashboard charts (Apache ECharts) and the hazard registers (Tabulator).
   All data arrive as JSON and are shown as text: no value is ever inserted as HTML. Both libraries
   put strings into the page with innerHTML (ECharts tooltips, Tabulator cells and the items of its
   list header filters), so every place they show a value gets a DOM node built here with
   textContent instead of a string. */
(function () {
  "use strict";
  var STATES = ["整改中（未逾期）", "逾期未整改", "已销号"];
  var COLORS = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa"];

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value === null || value === undefined ? "" : String(value);
    if (className) { el.className = className; }
    return el;
  }

  /* An ECharts tooltip as DOM nodes (ECharts would insert a string as HTML). */
  function tooltip(params) {
    var axis = Array.isArray(params);
    var items = axis ? params : [params];
    var box = document.createElement("div");
    if (items.length) { box.appendChild(text("strong", items[0].name)); }
    items.forEach(function (p) {
      var line = document.createElement("div");
      var marker = text("span", "", "rectify-tooltip-marker");
      marker.style.backgroundColor = typeof p.color === "string" ? p.color : "";
      line.appendChild(marker);
      var value = p.value === null || p.value === undefined ? "—" : String(p.value);
      if (axis) {
        line.appendChild(text("span", p.seriesName + "：" + value));
      } else {
        line.appendChild(text("span", value + (typeof p.percent === "number" ? "（" + p.percent + "%）" : "")));
      }
      box.appendChild(line);
    });
    return box;
  }

  function chart(el, option) {
    var instance = echarts.init(el, null, { renderer: "svg" });
    var settings = Object.assign({ color: COLORS, animation: false }, option);
    settings.tooltip = Object.assign({ trigger: "item" }, option.tooltip || {}, { formatter: tooltip, renderMode: "html" });
    instance.setOption(settings);
    window.addEventListener("resize", function () { instance.resize(); });
    el.setAttribute("data-rendered", "true");
  }

  function stacked(groups) {
    var names = Object.keys(groups);
    return {
      tooltip: { trigger: "axis" },
      legend: { data: STATES },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: STATES.map(function (s) {
        return { name: s, type: "bar", stack: "all", data: names.map(function (n) { return groups[n][s]; }) };
      })
    };
  }

  function pie(counts) {
    return {
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: Object.keys(counts).map(function (k) { return { name: k, value: counts[k] }; }) }]
    };
  }

  function dashboard() {
    var source = document.getElementById("rectify-dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var builders = {
      campaigns_by_status: function () { return pie(d.campaigns_by_status); },
      major_states: function () { return pie(d.major_states); },
      by_district: function () { return stacked(d.by_district); },
      by_industry: function () { return stacked(d.by_industry); },
      by_department: function () { return stacked(d.by_department); },
      trend: function () {
        return {
          tooltip: { trigger: "axis" },
          legend: { data: ["新发现", "销号", "月末未销号"] },
          grid: { left: 8, right: 8, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: d.trend.map(function (t) { return t.month; }) },
          yAxis: { type: "value", minInterval: 1 },
          series: [
            { name: "新发现", type: "bar", data: d.trend.map(function (t) { return t.found; }) },
            { name: "销号", type: "bar", data: d.trend.map(function (t) { return t.closed; }) },
            { name: "月末未销号", type: "line", data: d.trend.map(function (t) { return t.open; }) }
          ]
        };
      }
    };
    document.querySelectorAll(".rectify-chart").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (build) { chart(el, build()); }
    });
  }

  /* Tabulator inserts a string a formatter returns as HTML: return a node holding text. */
  function plainCell(cell) {
    return text("span", cell.getValue());
  }

  function register(box) {
    if (typeof Tabulator === "undefined") { return; }
    var config = JSON.parse(box.getAttribute("data-config"));
    var root = box.getAttribute("data-root").replace(/index\.html$/, "");
    var count = box.querySelector(".rectify-count");
    var columns = config.columns.map(function (c) {
      var column = { title: c.title, field: c.field, headerSort: true };
      if (c.filter) {
        column.headerFilter = "list";
        column.headerFilterParams = {
          valuesLookup: "all",
          clearable: true,
          sort: "asc",
          itemFormatter: function (label) { return text("span", label); }  // the list inserts strings as HTML
        };
        column.headerFilterFunc = "=";
        column.headerFilterPlaceholder = "全部";
      } else {
        column.headerFilter = "input";
        column.headerFilterPlaceholder = "搜索";
      }
      column.formatter = plainCell;
      if (c.field === "id") {
        column.formatter = function (cell) {
          var a = document.createElement("a");
          a.textContent = cell.getValue();
          a.href = root + cell.getRow().getData().url;
          return a;
        };
      }
      if (c.field === "title") {
        column.widthGrow = 3;
        column.formatter = function (cell) { return text("span", cell.getValue(), "rectify-wrap"); };
      }
      return column;
    });
    var table = new Tabulator(box.querySelector(".rectify-table"), {
      layout: "fitColumns",
      pagination: true,
      paginationSize: 50,
      locale: "zh-cn",
      langs: {
        "zh-cn": {
          pagination: { first: "首页", first_title: "首页", last: "末页", last_title: "末页", prev: "上一页", prev_title: "上一页", next: "下一页", next_title: "下一页", page_size: "每页" },
          data: { loading: "加载中", error: "加载失败" },
          headerFilters: { default: "筛选" }
        }
      },
      placeholder: "没有符合条件的记录",
      columns: columns
    });
    function show() {
      var n = table.getDataCount("active");
      count.textContent = "共 " + n + " 条";
      box.setAttribute("data-count", String(n));
    }
    table.on("dataFiltered", function () { setTimeout(show, 0); });
    table.on("tableBuilt", function () {
      fetch(box.getAttribute("data-src"))
        .then(function (r) { return r.json(); })
        .then(function (data) { return table.setData(data.rows); })
        .then(function () { show(); box.setAttribute("data-ready", "true"); });
    });
    box.rectifyTable = table;
  }

  function start() {
    dashboard();
    document.querySelectorAll(".rectify-register").forEach(register);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
