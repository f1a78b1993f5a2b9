// explore.html: search every package, sort them, and chart the monthly numbers of up to 8.
// Plain browser JavaScript, no bundler. Data comes from api/v1/ relative to this page, so the
// site works under any prefix. Text from the data only ever goes through textContent,
// setAttribute or createElement, never innerHTML. The chosen packages, the measure and the
// scale live in the URL hash: explore.html#p=affy,limma&m=ips&s=log (KEY/NAME when a name is in
// two categories).
(function () {
  "use strict";

  var MAX_CHOSEN = 8;
  var TABLE_PAGE = 100;
  var SEARCH_LIMIT = 12;
  // After Okabe–Ito (colour-blind safe), darkened where needed so that each line has at least
  // 3:1 contrast against white; every other series is dashed as well.
  var COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#A86A00", "#7A4FB0", "#000000", "#595959"];
  var DASHES = [[], [6, 3], [], [2, 2], [], [8, 3, 2, 3], [], [4, 4]];

  var numberFormat = new Intl.NumberFormat("en-US");
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(n) {
    return n === null || n === undefined ? "–" : numberFormat.format(n);
  }
  /** A relative path from our own API; anything with a scheme or starting with // is refused. */
  function safeRelative(path) {
    return typeof path === "string" && !/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[\\/]{2}/.test(path) ? path : null;
  }

  var categories = [];
  try {
    categories = JSON.parse($("explore-categories").textContent || "[]");
  } catch (e) {
    categories = [];
  }
  var categoryByAny = new Map();
  categories.forEach(function (c, i) {
    c.order = i;
    categoryByAny.set(c.key, c);
    categoryByAny.set(c.db, c);
  });
  function categoryOf(p) {
    return categoryByAny.get(p.category) || { key: String(p.category), db: String(p.category), label: String(p.category), order: 99 };
  }

  // --- state -------------------------------------------------------------------------------
  var all = []; // every package of packages.json, with .key (category key), .id and .lower added
  var byId = new Map(); // "KEY/NAME" -> package
  var byName = new Map(); // "NAME" -> [packages]
  var state = { query: "", category: "", sort: "name", dir: "ascending", shown: TABLE_PAGE, chosen: [], metric: "downloads", scale: "linear" };
  var details = new Map(); // id -> { status: "loading"|"ok"|"failed", data, error }
  var matches = []; // table rows after filtering and sorting
  var options = []; // packages in the search list
  var activeOption = -1;
  var chart = null;

  function hashName(p) {
    return (byName.get(p.name) || []).length > 1 ? p.id : p.name;
  }
  function displayName(p) {
    return (byName.get(p.name) || []).length > 1 ? p.name + " (" + categoryOf(p).label + ")" : p.name;
  }

  // --- loading -----------------------------------------------------------------------------
  function fail(message) {
    $("explore-loading").hidden = true;
    var box = $("explore-error");
    box.textContent = "";
    box.appendChild(el("strong", null, "The package list could not be loaded. "));
    box.appendChild(document.createTextNode(message + " The category pages still work: "));
    categories.forEach(function (c, i) {
      var a = el("a", "alert-link", c.label);
      a.href = c.href;
      box.appendChild(a);
      box.appendChild(document.createTextNode(i < categories.length - 1 ? ", " : "."));
    });
    box.hidden = false;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + " answered HTTP " + r.status + ".");
      return r.json().catch(function () {
        throw new Error(url + " is not valid JSON.");
      });
    });
  }

  function start() {
    $("explore-loading").hidden = false;
    fetchJson("api/v1/packages.json")
      .then(function (index) {
        if (!index || index.schemaVersion !== 2 || !Array.isArray(index.packages)) {
          throw new Error("api/v1/packages.json has an unknown format (schemaVersion " + (index && index.schemaVersion) + ").");
        }
        init(index);
      })
      .catch(function (e) {
        fail(e && e.message ? e.message : String(e));
      });
  }

  function init(index) {
    index.packages.forEach(function (p) {
      if (!p || typeof p.name !== "string") return;
      var c = categoryOf(p);
      var pkg = Object.assign({}, p, { key: c.key, id: c.key + "/" + p.name, lower: p.name.toLowerCase() });
      all.push(pkg);
      byId.set(pkg.id, pkg);
      if (!byName.has(p.name)) byName.set(p.name, []);
      byName.get(p.name).push(pkg);
    });
    byName.forEach(function (list) {
      list.sort(function (a, b) {
        return categoryOf(a).order - categoryOf(b).order;
      });
    });
    var windows = [];
    if (index.scoreWindow) windows.push("Score: the average number of distinct IPs a month, " + index.scoreWindow.from + " to " + index.scoreWindow.to + ".");
    if (index.last30Days) windows.push("Last 30 days: " + index.last30Days.from + " to " + index.last30Days.to + ".");
    $("explore-windows").textContent = windows.join(" ");

    $("explore-loading").hidden = true;
    $("explore-app").hidden = false;
    wire();
    readHash();
    renderTable();
    renderChosen();
  }

  // --- filtering and sorting -----------------------------------------------------------------
  function matchRank(p, q) {
    if (!q) return 0;
    var i = p.lower.indexOf(q);
    if (i < 0) return -1;
    return p.lower === q ? 0 : i === 0 ? 1 : 2;
  }

  var SORTS = {
    name: function (a, b) {
      return collator.compare(a.name, b.name) || categoryOf(a).order - categoryOf(b).order;
    },
    category: function (a, b) {
      return categoryOf(a).order - categoryOf(b).order;
    },
    score: function (a, b) {
      return numeric(a.score, b.score);
    },
    rank: function (a, b) {
      return numeric(a.rank, b.rank);
    },
    total: function (a, b) {
      return numeric(a.totalDownloads, b.totalDownloads);
    },
    last30: function (a, b) {
      return numeric(a.last30Days && a.last30Days.downloads, b.last30Days && b.last30Days.downloads);
    },
  };
  var FIRST_DIRECTION = { name: "ascending", category: "ascending", score: "descending", rank: "ascending", total: "descending", last30: "descending" };
  function numeric(x, y) {
    return (x === null || x === undefined ? -Infinity : x) - (y === null || y === undefined ? -Infinity : y);
  }
  function hasValue(p, key) {
    var v = key === "score" ? p.score : key === "rank" ? p.rank : key === "total" ? p.totalDownloads : key === "last30" ? p.last30Days && p.last30Days.downloads : 0;
    return v !== null && v !== undefined;
  }

  function computeMatches() {
    var q = state.query.trim().toLowerCase();
    var cmp = SORTS[state.sort];
    var sign = state.dir === "ascending" ? 1 : -1;
    var key = state.sort;
    matches = all.filter(function (p) {
      return (!state.category || p.key === state.category) && matchRank(p, q) >= 0;
    });
    matches.sort(function (a, b) {
      // Packages without a value (no score yet) stay at the bottom in either direction.
      var ha = hasValue(a, key), hb = hasValue(b, key);
      if (ha !== hb) return ha ? -1 : 1;
      return sign * cmp(a, b) || SORTS.name(a, b);
    });
  }

  // --- the table ---------------------------------------------------------------------------
  function renderTable() {
    computeMatches();
    var tbody = document.querySelector("#packages-table tbody");
    var rows = document.createDocumentFragment();
    matches.slice(0, state.shown).forEach(function (p) {
      var tr = el("tr");
      tr.dataset.id = p.id;
      var th = el("th");
      th.scope = "row";
      var page = safeRelative(p.page);
      if (page) {
        var a = el("a", null, p.name);
        a.href = page;
        th.appendChild(a);
      } else {
        th.textContent = p.name;
      }
      if (p.inCurrentRelease === false) th.appendChild(el("span", "badge text-bg-secondary ms-2", "not in release"));
      tr.appendChild(th);
      tr.appendChild(el("td", null, categoryOf(p).label));
      tr.appendChild(el("td", "text-end", fmt(p.score)));
      tr.appendChild(el("td", "text-end", fmt(p.rank)));
      tr.appendChild(el("td", "text-end", fmt(p.totalDownloads)));
      tr.appendChild(el("td", "text-end", fmt(p.last30Days ? p.last30Days.downloads : null)));
      var td = el("td", "text-end");
      td.appendChild(toggleButton(p));
      tr.appendChild(td);
      rows.appendChild(tr);
    });
    tbody.textContent = "";
    tbody.appendChild(rows);

    document.querySelectorAll("#packages-table th[data-sort]").forEach(function (h) {
      var sorted = h.dataset.sort === state.sort;
      if (sorted) h.setAttribute("aria-sort", state.dir);
      else h.removeAttribute("aria-sort");
      h.querySelector(".sort-indicator").textContent = sorted ? (state.dir === "ascending" ? "▲" : "▼") : "";
    });

    var more = $("show-more");
    var rest = matches.length - state.shown;
    more.hidden = rest <= 0;
    more.textContent = "Show " + Math.min(rest, TABLE_PAGE) + " more of " + fmt(rest);

    var q = state.query.trim();
    var count = matches.length === 1 ? "1 package" : fmt(matches.length) + " packages";
    var cat = state.category ? " in " + (categoryByAny.get(state.category) || { label: state.category }).label : "";
    $("result-count").textContent = q ? count + cat + " match \u201c" + q + "\u201d." : count + cat + ".";
  }

  function toggleButton(p) {
    var on = isChosen(p);
    var b = el("button", "btn btn-sm " + (on ? "btn-primary" : "btn-outline-primary"), on ? "In chart" : "Compare");
    b.type = "button";
    b.dataset.id = p.id;
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.setAttribute("aria-label", "Compare " + displayName(p) + " in the chart");
    return b;
  }

  function setSort(key) {
    if (state.sort === key) state.dir = state.dir === "ascending" ? "descending" : "ascending";
    else {
      state.sort = key;
      state.dir = FIRST_DIRECTION[key];
    }
    renderTable();
  }

  // --- the search list (a combobox with a listbox) --------------------------------------------
  function renderOptions() {
    var q = state.query.trim().toLowerCase();
    var list = $("search-results");
    var input = $("search");
    list.textContent = "";
    options = [];
    activeOption = -1;
    input.removeAttribute("aria-activedescendant");
    if (!q) return closeList();
    options = all
      .filter(function (p) {
        return (!state.category || p.key === state.category) && matchRank(p, q) >= 0;
      })
      .sort(function (a, b) {
        return matchRank(a, q) - matchRank(b, q) || numeric(b.score, a.score) || SORTS.name(a, b);
      })
      .slice(0, SEARCH_LIMIT);
    if (options.length === 0) return closeList();
    options.forEach(function (p, i) {
      var li = el("li", "list-group-item list-group-item-action d-flex justify-content-between");
      li.id = "search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(i);
      li.appendChild(el("span", null, p.name));
      li.appendChild(el("span", "text-body-secondary small", categoryOf(p).label + (p.score !== null && p.score !== undefined ? " · score " + fmt(p.score) : "") + (isChosen(p) ? " · in chart" : "")));
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function closeList() {
    $("search-results").hidden = true;
    $("search").setAttribute("aria-expanded", "false");
    $("search").removeAttribute("aria-activedescendant");
    activeOption = -1;
  }

  function setActive(i) {
    var items = $("search-results").children;
    if (items.length === 0) return;
    activeOption = (i + items.length) % items.length;
    for (var k = 0; k < items.length; k++) {
      var on = k === activeOption;
      items[k].classList.toggle("active-option", on);
      items[k].setAttribute("aria-selected", on ? "true" : "false");
    }
    var item = items[activeOption];
    $("search").setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  function chooseOption(i) {
    var p = options[i];
    if (!p) return;
    addChosen(p);
    $("search").value = "";
    state.query = "";
    state.shown = TABLE_PAGE;
    closeList();
    renderTable();
  }

  // --- the chosen packages -------------------------------------------------------------------
  function isChosen(p) {
    return state.chosen.indexOf(p.id) >= 0;
  }

  function announce(text) {
    var a = $("announce");
    a.textContent = "";
    // A new text node each time, so that the same message is announced again.
    window.setTimeout(function () {
      a.textContent = text;
    }, 50);
  }

  function addChosen(p) {
    if (isChosen(p)) return announce(displayName(p) + " is already in the chart.");
    if (state.chosen.length >= MAX_CHOSEN) return announce("At most " + MAX_CHOSEN + " packages: remove one from the chart first.");
    state.chosen.push(p.id);
    announce(displayName(p) + " added to the chart; " + state.chosen.length + " of " + MAX_CHOSEN + ".");
    changed();
  }

  function removeChosen(id) {
    var i = state.chosen.indexOf(id);
    if (i < 0) return;
    state.chosen.splice(i, 1);
    var p = byId.get(id);
    announce((p ? displayName(p) : id) + " removed from the chart.");
    changed();
  }

  function changed() {
    writeHash();
    renderChosen();
    refreshToggles();
  }

  function refreshToggles() {
    document.querySelectorAll("#packages-table tbody button[data-id]").forEach(function (b) {
      var p = byId.get(b.dataset.id);
      if (p) b.replaceWith(toggleButton(p));
    });
  }

  function renderChosen() {
    var ul = $("chosen");
    ul.textContent = "";
    state.chosen.forEach(function (id, i) {
      var p = byId.get(id);
      var li = el("li", "chip");
      var swatch = el("span", "swatch");
      swatch.style.background = COLORS[i % COLORS.length];
      swatch.setAttribute("aria-hidden", "true");
      li.appendChild(swatch);
      li.appendChild(el("span", null, displayName(p)));
      var d = details.get(id);
      if (d && d.status === "loading") li.appendChild(el("span", "text-body-secondary small", "loading…"));
      if (d && d.status === "failed") li.appendChild(el("span", "text-danger small", "could not be loaded"));
      var b = el("button", "btn-close btn-sm");
      b.type = "button";
      b.dataset.remove = id;
      b.setAttribute("aria-label", "Remove " + displayName(p) + " from the chart");
      li.appendChild(b);
      ul.appendChild(li);
    });
    $("chosen-count").textContent = String(state.chosen.length);
    $("chart-empty").hidden = state.chosen.length > 0;
    $("chart-box").hidden = state.chosen.length === 0;
    $("chart-data").hidden = state.chosen.length === 0;
    state.chosen.forEach(load);
    drawChart();
  }

  function load(id) {
    if (details.has(id)) return;
    var p = byId.get(id);
    var url = safeRelative(p.json) || "api/v1/packages/" + encodeURIComponent(p.key) + "/" + encodeURIComponent(p.name) + ".json";
    details.set(id, { status: "loading" });
    fetchJson(url)
      .then(function (data) {
        if (!data || !Array.isArray(data.monthly)) throw new Error(url + " has no monthly numbers.");
        details.set(id, { status: "ok", data: data });
      })
      .catch(function (e) {
        details.set(id, { status: "failed", error: e && e.message ? e.message : String(e) });
        announce(displayName(p) + " could not be loaded.");
      })
      .then(function () {
        if (isChosen(p)) renderChosen();
      });
  }

  // --- the chart -----------------------------------------------------------------------------
  function drawChart() {
    var loaded = state.chosen
      .map(function (id, i) {
        return { id: id, color: i, d: details.get(id) };
      })
      .filter(function (x) {
        return x.d && x.d.status === "ok";
      });
    var monthSet = new Set();
    loaded.forEach(function (x) {
      x.d.data.monthly.forEach(function (m) {
        monthSet.add(m.month);
      });
    });
    var months = Array.from(monthSet).sort();
    var field = state.metric === "ips" ? "distinctIPs" : "downloads";
    var log = state.scale === "log";
    var datasets = loaded.map(function (x) {
      var byMonth = new Map();
      x.d.data.monthly.forEach(function (m) {
        byMonth.set(m.month, m[field]);
      });
      var color = COLORS[x.color % COLORS.length];
      return {
        label: displayName(byId.get(x.id)),
        data: months.map(function (m) {
          var v = byMonth.has(m) ? byMonth.get(m) : 0; // before a package's first month: none
          return log && v <= 0 ? null : v; // a log scale has no zero
        }),
        borderColor: color,
        backgroundColor: color,
        borderDash: DASHES[x.color % DASHES.length],
        borderWidth: 2,
        pointRadius: months.length > 60 ? 0 : 2,
        pointHitRadius: 6,
        tension: 0,
        spanGaps: false,
      };
    });
    var yTitle = state.metric === "ips" ? "Distinct IPs per month" : "Downloads per month";
    var canvas = $("chart");
    canvas.setAttribute(
      "aria-label",
      datasets.length
        ? yTitle + " (" + (log ? "logarithmic" : "linear") + " scale) of " + datasets.map(function (d) { return d.label; }).join(", ") + ", " + (months[0] || "") + " to " + (months[months.length - 1] || "") + ". The same numbers are in the table below the chart."
        : "No package chosen yet.",
    );
    if (typeof window.Chart !== "function") {
      $("chart-empty").hidden = false;
      $("chart-empty").textContent = "The chart library (static/chart.umd.min.js) could not be loaded.";
    } else if (!chart) {
      chart = new window.Chart(canvas.getContext("2d"), {
        type: "line",
        data: { labels: months, datasets: datasets },
        options: chartOptions(yTitle, log),
      });
    } else {
      chart.data.labels = months;
      chart.data.datasets = datasets;
      chart.options = chartOptions(yTitle, log);
      chart.update("none");
    }
    renderChartTable(months, datasets);
  }

  function chartOptions(yTitle, log) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true, pointStyle: "line" } }, tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + fmt(c.parsed.y); } } } },
      scales: {
        x: { title: { display: true, text: "Month" }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: log ? { type: "logarithmic", title: { display: true, text: yTitle + " (log scale)" } } : { type: "linear", beginAtZero: true, title: { display: true, text: yTitle } },
      },
    };
  }

  function renderChartTable(months, datasets) {
    var table = $("chart-table");
    table.textContent = "";
    var thead = el("thead");
    var hr = el("tr");
    hr.appendChild(el("th", null, "Month")).scope = "col";
    datasets.forEach(function (d) {
      hr.appendChild(el("th", "text-end", d.label)).scope = "col";
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el("tbody");
    for (var i = months.length - 1; i >= 0; i--) {
      var tr = el("tr");
      tr.appendChild(el("th", null, months[i])).scope = "row";
      datasets.forEach(function (d) {
        tr.appendChild(el("td", "text-end", fmt(d.data[i] === null ? 0 : d.data[i])));
      });
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
  }

  // --- the hash ------------------------------------------------------------------------------
  function parseHash() {
    var out = {};
    location.hash
      .replace(/^#/, "")
      .split("&")
      .forEach(function (part) {
        var eq = part.indexOf("=");
        if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
      });
    return out;
  }

  function decode(s) {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch (e) {
      return s;
    }
  }

  function resolve(token) {
    if (byId.has(token)) return byId.get(token);
    var list = byName.get(token);
    if (list && list.length) return list[0];
    // A name in another case (links typed by hand).
    var lower = token.toLowerCase();
    for (var i = 0; i < all.length; i++) if (all[i].lower === lower) return all[i];
    return null;
  }

  function readHash() {
    var h = parseHash();
    var chosen = [];
    var unknown = [];
    (h.p ? h.p.split(",") : []).forEach(function (raw) {
      var token = decode(raw).trim();
      if (!token) return;
      var p = resolve(token);
      if (!p) unknown.push(token);
      else if (chosen.indexOf(p.id) < 0 && chosen.length < MAX_CHOSEN) chosen.push(p.id);
    });
    state.chosen = chosen;
    state.metric = h.m === "ips" ? "ips" : "downloads";
    state.scale = h.s === "log" ? "log" : "linear";
    $(state.metric === "ips" ? "metric-ips" : "metric-downloads").checked = true;
    $(state.scale === "log" ? "scale-log" : "scale-linear").checked = true;
    var box = $("explore-error");
    if (unknown.length) {
      box.textContent = "Not found, left out of the chart: " + unknown.join(", ") + ".";
      box.className = "alert alert-warning";
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  function hashText() {
    var parts = [];
    if (state.chosen.length)
      parts.push(
        "p=" +
          state.chosen
            .map(function (id) {
              return hashName(byId.get(id))
                .split("/")
                .map(encodeURIComponent)
                .join("/");
            })
            .join(","),
      );
    if (state.metric === "ips") parts.push("m=ips");
    if (state.scale === "log") parts.push("s=log");
    return parts.join("&");
  }

  function writeHash() {
    var text = hashText();
    if (location.hash.replace(/^#/, "") === text) return;
    history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  }

  // --- events --------------------------------------------------------------------------------
  function wire() {
    var input = $("search");
    input.addEventListener("input", function () {
      state.query = input.value;
      state.shown = TABLE_PAGE;
      renderOptions();
      renderTable();
    });
    input.addEventListener("keydown", function (e) {
      var open = !$("search-results").hidden;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (!open) renderOptions();
        setActive(activeOption + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (!open) renderOptions();
        setActive(activeOption < 0 ? -1 : activeOption - 1);
      } else if (e.key === "Enter") {
        if (open && options.length) {
          e.preventDefault();
          chooseOption(activeOption < 0 ? 0 : activeOption);
        }
      } else if (e.key === "Escape") {
        if (open) closeList();
        else if (input.value) {
          input.value = "";
          state.query = "";
          renderTable();
        }
      } else if (e.key === "Home" || e.key === "End") {
        if (open && activeOption >= 0) {
          e.preventDefault();
          setActive(e.key === "Home" ? 0 : options.length - 1);
        }
      }
    });
    input.addEventListener("blur", function () {
      closeList();
    });
    input.addEventListener("focus", function () {
      if (state.query.trim()) renderOptions();
    });
    var list = $("search-results");
    // mousedown would blur the input (and close the list) before the click.
    list.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li) chooseOption(Number(li.dataset.index));
    });

    $("category-filter").addEventListener("change", function (e) {
      state.category = e.target.value;
      state.shown = TABLE_PAGE;
      renderTable();
      if (!$("search-results").hidden) renderOptions();
    });

    document.querySelectorAll("#packages-table th[data-sort] button").forEach(function (b) {
      b.addEventListener("click", function () {
        setSort(b.closest("th").dataset.sort);
      });
    });
    document.querySelector("#packages-table tbody").addEventListener("click", function (e) {
      var b = e.target.closest("button[data-id]");
      if (!b) return;
      var p = byId.get(b.dataset.id);
      if (!p) return;
      if (isChosen(p)) removeChosen(p.id);
      else addChosen(p);
      var again = document.querySelector('#packages-table tbody button[data-id="' + CSS.escape(p.id) + '"]');
      if (again) again.focus();
    });
    $("show-more").addEventListener("click", function () {
      state.shown += TABLE_PAGE;
      renderTable();
    });
    $("chosen").addEventListener("click", function (e) {
      var b = e.target.closest("button[data-remove]");
      if (!b) return;
      var li = b.closest("li");
      var next = li && (li.nextElementSibling || li.previousElementSibling);
      var nextId = next && next.querySelector("button[data-remove]") ? next.querySelector("button[data-remove]").dataset.remove : null;
      removeChosen(b.dataset.remove);
      var focus = nextId && document.querySelector('#chosen button[data-remove="' + CSS.escape(nextId) + '"]');
      (focus || $("search")).focus();
    });
    document.querySelectorAll("input[name=metric], input[name=scale]").forEach(function (r) {
      r.addEventListener("change", function () {
        if (!r.checked) return;
        if (r.name === "metric") state.metric = r.value;
        else state.scale = r.value;
        writeHash();
        drawChart();
      });
    });
    window.addEventListener("hashchange", function () {
      if (location.hash.replace(/^#/, "") === hashText()) return;
      readHash();
      renderChosen();
      refreshToggles();
    });
  }

  start();
})();
