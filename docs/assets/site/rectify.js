/* rectify site: draws the dashboard charts (Apache ECharts) and the hazard registers (Tabulator).
   All data arrive as JSON and are shown as text: no value is ever inserted as HTML. Both libraries
   put strings into the page with innerHTML (ECharts tooltips, Tabulator cells and the items of its
   list header filters), so every place they show a value gets a DOM node built here with
   textContent instead of a string. */
(function () {
  "use strict";
  var STATES = ["整改中（未逾期）", "逾期未整改", "已销号"];
  /* dark enough for white labels on them (≥ 4.5:1) and for bars on white (≥ 3:1) */
  var COLORS = ["#1565c0", "#c62828", "#2e7d32", "#b45309", "#6a1b9a"];

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

  /* Categories down the side (long names stay readable on a phone), one bar per category. */
  function stacked(groups, el) {
    var names = Object.keys(groups);
    var labelWidth = Math.max(80, Math.min(160, Math.floor(el.clientWidth * 0.35)));
    var lines = names.reduce(function (most, n) { return Math.max(most, Math.ceil((n.length * 12) / labelWidth)); }, 1);
    el.style.height = Math.max(200, Math.max(36, lines * 16 + 12) * names.length + 90) + "px";
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: STATES, top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      yAxis: {
        type: "category", inverse: true, data: names,
        axisLabel: { interval: 0, width: labelWidth, overflow: "break", lineHeight: 16 }
      },
      xAxis: { type: "value", minInterval: 1 },
      series: STATES.map(function (s) {
        return { name: s, type: "bar", stack: "all", barMaxWidth: 24, data: names.map(function (n) { return groups[n][s]; }) };
      })
    };
  }

  function pie(counts) {
    return {
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["35%", "62%"], center: ["50%", "45%"], avoidLabelOverlap: true,
        label: { position: "inside", formatter: "{c}", color: "#fff" },
        data: Object.keys(counts).map(function (k) { return { name: k, value: counts[k] }; })
      }]
    };
  }

  function dashboard() {
    var source = document.getElementById("rectify-dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var builders = {
      campaigns_by_status: function () { return pie(d.campaigns_by_status); },
      major_states: function () { return pie(d.major_states); },
      by_district: function (el) { return stacked(d.by_district, el); },
      by_industry: function (el) { return stacked(d.by_industry, el); },
      by_department: function (el) { return stacked(d.by_department, el); },
      trend: function () {
        return {
          tooltip: { trigger: "axis" },
          legend: { data: ["新发现", "销号", "月末未销号"], top: 0 },
          grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: d.trend.map(function (t) { return t.month; }), axisLabel: { hideOverlap: true } },
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
      if (build) { chart(el, build(el)); }
    });
  }

  /* A width in px that grows with the text (Material's root is 20 px at the default text size). */
  function rem(n) {
    return Math.ceil(n * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 20));
  }

  /* Tabulator inserts a string a formatter returns as HTML: return a node holding text. */
  function plainCell(cell) {
    return text("span", cell.getValue());
  }

  /* ---- register: filters and sort in the URL, cards on a phone ---------------------------- */
  /* in em: text made larger in the browser's settings (200 %) also turns the table into cards */
  var PHONE = "(max-width: 47.9375em)";
  var CARD_MORE = 50;

  /* The register's state from the URL's query: {filters: {field: value}, sort: [field, dir]}. */
  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { filters: {}, sort: null };
    params.forEach(function (value, key) {
      if (key === "sort") {
        var parts = value.split(":");
        state.sort = [parts[0], parts[1] === "desc" ? "desc" : "asc"];
      } else if (value !== "") {
        state.filters[key] = value;
      }
    });
    return state;
  }

  function register(box) {
    if (typeof Tabulator === "undefined") { return; }
    var config = JSON.parse(box.getAttribute("data-config"));
    var root = box.getAttribute("data-root").replace(/index\.html$/, "");
    var count = box.querySelector(".rectify-count");
    var controls = box.querySelector(".rectify-controls");
    var cardList = box.querySelector(".rectify-cardlist");
    var titles = {};
    var filtered = {};  // field → true for columns with a header filter
    var extra = {};     // filters without a column (the dashboard's states): field → value
    var restoring = true;  // until the URL's state is applied: nothing is written back before
    var shown = CARD_MORE;
    var data = [];

    function idOrder(a, b) {
      var key = function (value) {
        var m = /^([A-Z]+)-(\d{4})-(\d+)$/.exec(value || "");
        return m ? [m[1], Number(m[2]), Number(m[3])] : [String(value || ""), 0, 0];
      };
      var x = key(a), y = key(b);
      if (x[0] !== y[0]) { return x[0] < y[0] ? -1 : 1; }
      return (x[1] - y[1]) || (x[2] - y[2]);
    }

    function idLink(row) {
      var a = document.createElement("a");
      a.textContent = row.id;
      a.href = root + row.url;
      return a;
    }

    var columns = config.columns.map(function (c) {
      titles[c.field] = c.title;
      var column = { title: c.title, field: c.field, headerSort: true, headerWordWrap: true, formatter: plainCell };
      if (c.filter) {
        filtered[c.field] = true;
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
      if (c.field === "findings") {
        delete column.headerFilterParams.valuesLookup;
        column.headerFilterParams.values = config.findings;
        column.headerFilterFunc = function (wanted, value) { return (" " + value + " ").indexOf(" " + wanted + " ") >= 0; };
        column.minWidth = rem(4.5);
      }
      if (c.field === "id") {
        column.sorter = idOrder;  // HAZ-2023-99999 before HAZ-2023-100000 (as text it would be after)
        column.minWidth = rem(6.5);
        column.formatter = function (cell) { return idLink(cell.getRow().getData()); };
      }
      if (c.field === "deadline" || c.field === "accepted_on") { column.minWidth = rem(5); }
      if (c.field === "days_overdue") { column.sorter = "number"; column.hozAlign = "right"; }
      if (c.field === "title") {
        column.widthGrow = 3;
        column.minWidth = rem(8);
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

    function extraMatches(row) {
      return Object.keys(extra).every(function (f) { return extra[f] === "" || row[f] === extra[f]; });
    }

    /* The current state as a query string, kept in the URL (replaceState: Back leaves the page). */
    function writeState() {
      if (restoring) { return; }
      var params = new URLSearchParams();
      table.getHeaderFilters().forEach(function (f) {
        if (f.value !== null && f.value !== undefined && f.value !== "") { params.set(f.field, f.value); }
      });
      Object.keys(extra).forEach(function (f) { if (extra[f]) { params.set(f, extra[f]); } });
      var sorters = table.getSorters();
      if (sorters.length) { params.set("sort", sorters[0].field + ":" + sorters[0].dir); }
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        history.replaceState(history.state, "", url);
      }
    }

    function applyState(state) {
      restoring = true;
      table.getHeaderFilters().forEach(function (f) {
        if (!(f.field in state.filters)) { table.setHeaderFilterValue(f.field, ""); }
      });
      extra = {};
      Object.keys(state.filters).forEach(function (field) {
        if (filtered[field]) {
          table.setHeaderFilterValue(field, state.filters[field]);
        } else if (field in config.extra) {
          extra[field] = state.filters[field];
        }
      });
      table.setFilter(extraMatches);
      if (state.sort && titles[state.sort[0]]) { table.setSort(state.sort[0], state.sort[1]); } else { table.clearSort(); }
      restoring = false;
      syncControls();
      show();
    }

    /* On a phone: a select per filter and one for the order, above the cards. */
    function select(name, label, values, labels, parent) {
      var wrap = document.createElement("label");
      wrap.appendChild(text("span", label));
      var el = document.createElement("select");
      el.name = name;
      var all = text("option", "全部");
      all.value = "";
      el.appendChild(all);
      values.forEach(function (v) {
        var option = text("option", labels ? labels[v] : v);
        option.value = v;
        el.appendChild(option);
      });
      wrap.appendChild(el);
      (parent || controls).appendChild(wrap);
      return el;
    }

    function buildControls() {
      while (controls.firstChild) { controls.removeChild(controls.firstChild); }
      Object.keys(config.extra).forEach(function (field) {
        var values = Array.from(new Set(data.map(function (r) { return r[field]; }))).filter(Boolean).sort();
        select(field, config.extra[field], values).parentNode.className = "rectify-extra";
      });
      var more = document.createElement("details");
      more.className = "rectify-phone";
      more.appendChild(text("summary", "按列筛选与排序"));
      var fields = document.createElement("div");
      fields.className = "rectify-phone-fields";
      more.appendChild(fields);
      controls.appendChild(more);
      config.columns.forEach(function (c) {
        if (!c.filter) { return; }
        var labels = c.field === "findings" ? config.findings : null;
        var values = labels ? Object.keys(labels) : Array.from(new Set(data.map(function (r) { return String(r[c.field]); }))).filter(Boolean).sort();
        select(c.field, c.title, values, labels, fields);
      });
      var sortValues = [], sortLabels = {};
      ["deadline", "days_overdue", "id", "district", "status"].forEach(function (f) {
        ["asc", "desc"].forEach(function (dir) {
          var key = f + ":" + dir;
          sortValues.push(key);
          sortLabels[key] = titles[f] + (dir === "asc" ? "（升序）" : "（降序）");
        });
      });
      var order = select("sort", "排序", sortValues, sortLabels, fields);
      order.options[0].textContent = "默认";
      controls.addEventListener("change", function (event) {
        var el = event.target;
        if (el.name === "sort") {
          if (el.value) { table.setSort(el.value.split(":")[0], el.value.split(":")[1]); } else { table.clearSort(); }
        } else if (filtered[el.name]) {
          table.setHeaderFilterValue(el.name, el.value);
        } else {
          extra[el.name] = el.value;
          table.setFilter(extraMatches);
        }
      });
    }

    function syncControls() {
      var values = {};
      table.getHeaderFilters().forEach(function (f) { values[f.field] = f.value; });
      Object.keys(extra).forEach(function (f) { values[f] = extra[f]; });
      var sorters = table.getSorters();
      values.sort = sorters.length ? sorters[0].field + ":" + sorters[0].dir : "";
      controls.querySelectorAll("select").forEach(function (el) {
        var v = values[el.name] === undefined || values[el.name] === null ? "" : String(values[el.name]);
        if (el.value !== v) { el.value = v; }
      });
      var details = controls.querySelector("details");
      if (details && Object.keys(values).some(function (k) { return k !== "state" && values[k]; })) { details.open = true; }
    }

    /* One card per hazard (the filtered and sorted rows), CARD_MORE at a time. */
    function drawCards() {
      if (!window.matchMedia(PHONE).matches) { return; }
      while (cardList.firstChild) { cardList.removeChild(cardList.firstChild); }
      var rows = table.getData("active");
      rows.slice(0, shown).forEach(function (row) {
        var li = document.createElement("li");
        li.className = "rectify-hazard-card";
        var head = document.createElement("p");
        head.className = "rectify-card-id";
        head.appendChild(idLink(row));
        li.appendChild(head);
        li.appendChild(text("p", row.title, "rectify-card-title"));
        var dl = document.createElement("dl");
        config.cards.forEach(function (f) {
          var value = row[f];
          if (f === "days_overdue" && !value) { return; }
          if (value === "" || value === null || value === undefined) { return; }
          dl.appendChild(text("dt", titles[f]));
          dl.appendChild(text("dd", f === "days_overdue" ? value + " 天" : value, f === "days_overdue" ? "rectify-alert" : ""));
        });
        li.appendChild(dl);
        cardList.appendChild(li);
      });
      if (rows.length > shown) {
        var more = text("button", "显示更多（另有 " + (rows.length - shown) + " 条）", "md-button rectify-more");
        more.type = "button";
        more.addEventListener("click", function () { shown += CARD_MORE; drawCards(); });
        var li = document.createElement("li");
        li.className = "rectify-card-more";
        li.appendChild(more);
        cardList.appendChild(li);
      }
    }

    function show() {
      var n = table.getDataCount("active");
      count.textContent = "共 " + n + " 条";
      box.setAttribute("data-count", String(n));
      drawCards();
    }
    table.on("dataFiltered", function () { setTimeout(function () { shown = CARD_MORE; show(); writeState(); syncControls(); }, 0); });
    table.on("dataSorted", function () { setTimeout(function () { show(); writeState(); syncControls(); }, 0); });
    window.matchMedia(PHONE).addEventListener("change", function () { show(); table.redraw(true); });
    window.addEventListener("popstate", function () { applyState(readState()); });
    table.on("tableBuilt", function () {
      fetch(box.getAttribute("data-src"))
        .then(function (r) { return r.json(); })
        .then(function (payload) { data = payload.rows; return table.setData(data); })
        .then(function () {
          buildControls();
          applyState(readState());
          box.setAttribute("data-ready", "true");
        });
    });
    table.on("tableBuilt", function () { accessible(box); });
    box.rectifyTable = table;
  }

  /* Tabulator's markup for assistive technology and the keyboard: a table of rows (its role
     "grid" held the footer's buttons and the scrolling box, and it has no grid navigation), a
     label on each header filter, and column titles that sort with Enter or Space. */
  function accessible(box) {
    var el = box.querySelector(".rectify-table");
    var holder = el.querySelector(".tabulator-tableholder");
    var head = el.querySelector(".tabulator-header");
    var body = el.querySelector(".tabulator-table");
    var heading = document.querySelector(".md-content h1");
    if (!holder || !head || !body) { return; }
    head.id = body.id + "-head";
    el.removeAttribute("role");
    el.removeAttribute("aria-owns");
    holder.setAttribute("role", "table");
    holder.setAttribute("aria-label", heading ? headingText(heading) : "台账");
    holder.setAttribute("aria-owns", head.id + " " + body.id);
    el.querySelectorAll(".tabulator-col[tabulator-field]").forEach(function (col) {
      var title = col.querySelector(".tabulator-col-title");
      var name = title ? title.textContent.trim() : "";
      var input = col.querySelector(".tabulator-header-filter input");
      if (input) { input.setAttribute("aria-label", "按“" + name + "”筛选"); }
      if (input && input.style.caretColor === "transparent") {  // a list filter: a combobox
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-haspopup", "listbox");
      }
      var sorter = col.querySelector(".tabulator-col-title-holder");
      if (sorter && col.classList.contains("tabulator-sortable")) {
        sorter.setAttribute("tabindex", "0");
        sorter.setAttribute("role", "button");
        sorter.setAttribute("aria-label", "按“" + name + "”排序");
        sorter.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sorter.click(); }
        });
      }
    });
  }

  /* Tabulator's drop-down of a list filter as a listbox whose active option the combobox names
     (Tabulator draws the list anew each time it opens, outside the table). */
  var listSeen = 0;
  function watchLists() {
    var owner = null;
    function mark(list) {
      var active = list.querySelector(".tabulator-edit-list-item.focused");
      list.querySelectorAll(".tabulator-edit-list-item").forEach(function (item, i) {
        if (!item.id) { item.id = list.id + "-" + i; item.setAttribute("role", "option"); }
        item.setAttribute("aria-selected", item === active ? "true" : "false");
      });
      if (owner) {
        if (active) { owner.setAttribute("aria-activedescendant", active.id); } else { owner.removeAttribute("aria-activedescendant"); }
      }
    }
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (!(node instanceof Element) || !node.classList.contains("tabulator-edit-list")) { return; }
          var input = document.activeElement;
          owner = input && input.getAttribute("role") === "combobox" ? input : null;
          node.id = "rectify-list-" + (++listSeen);
          node.setAttribute("role", "listbox");
          if (owner) {
            node.setAttribute("aria-label", owner.getAttribute("aria-label"));
            owner.setAttribute("aria-expanded", "true");
            owner.setAttribute("aria-controls", node.id);
          }
          mark(node);
          new MutationObserver(function () { mark(node); }).observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
        });
        change.removedNodes.forEach(function (node) {
          if (owner && node instanceof Element && node.classList.contains("tabulator-edit-list")) {
            owner.setAttribute("aria-expanded", "false");
            owner.removeAttribute("aria-controls");
            owner.removeAttribute("aria-activedescendant");
            owner = null;
          }
        });
      });
    }).observe(document.body, { childList: true });
  }

  function headingText(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
    return copy.textContent.trim();
  }

  /* A table wider than a phone scrolls inside its box: the box takes focus so that the keyboard
     can scroll it too (Material wraps the tables after this script has run). */
  function nearestHeading(el) {
    for (var n = el.previousElementSibling; n; n = n.previousElementSibling) {
      if (/^H[1-6]$/.test(n.tagName)) { return headingText(n); }
    }
    return "";
  }

  function scrollable() {
    var regions = 0;
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (nearestHeading(wrap) || "表格") + "（表格，可左右滚动，第 " + (++regions) + " 个）");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  /* Material's header buttons that open the navigation drawer and the search on a narrow window
     (or with large text) are labels out of the tab order: give them to the keyboard, as buttons
     that move focus into what they open. */
  function headerButtons() {
    var names = { __drawer: "打开导航菜单", __search: "搜索" };
    document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
      var toggle = document.getElementById(label.getAttribute("for"));
      if (!toggle || !names[toggle.id]) { return; }
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      label.setAttribute("aria-label", names[toggle.id]);
      label.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") { return; }
        event.preventDefault();
        if (event.key === " ") { label.click(); }  // Material itself clicks a focused label on Enter
        if (toggle.id === "__search") {
          var input = document.querySelector(".md-search__input");
          if (input) { setTimeout(function () { input.focus(); }, 0); }
        } else if (toggle.checked) {
          var first = document.querySelector(".md-sidebar--primary a, .md-sidebar--primary label[tabindex]");
          if (first) { setTimeout(function () { first.focus(); }, 0); }
        }
      });
    });
  }

  function start() {
    headerButtons();
    document.addEventListener("keydown", function (event) {  // Escape closes the open drawer
      var drawer = document.getElementById("__drawer");
      if (event.key === "Escape" && drawer && drawer.checked) {
        drawer.checked = false;
        var button = document.querySelector('label.md-header__button[for="__drawer"]');
        if (button) { button.focus(); }
      }
    });
    dashboard();
    var registers = document.querySelectorAll(".rectify-register");
    registers.forEach(register);
    if (registers.length) { watchLists(); }
    window.addEventListener("load", function () { setTimeout(scrollable, 0); });
    window.addEventListener("resize", scrollable);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
