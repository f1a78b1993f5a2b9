// @ts-check
// The chart (Chart.js, loaded by a classic script as window.Chart), its note and the same
// numbers as a table, drawn from the state and the loaded package files.
import { byId, el } from "./dom.js";
import { bucketsOf, logTicks, shownSeries, valuesOf } from "./series.js";
import { displayName, formatCount } from "./state.js";

/** @typedef {import("./state.js").State} State */
/** @typedef {import("./state.js").PackageIndex} PackageIndex */
/** @typedef {import("./state.js").Granularity} Granularity */
/** @typedef {import("./series.js").PackageSeries} PackageSeries */
/** @typedef {import("./series.js").Bucket} Bucket */
/** @typedef {import("./badge.js").BadgePaths} BadgePaths */
/** A chosen package's file: its series and its badges (null when the file lists none). */
/** @typedef {{status: "loading"} | {status: "failed", error: string} | {status: "ok", data: PackageSeries, badges: BadgePaths | null}} Detail */

// After Okabe–Ito (colour-blind safe), darkened where needed so that each line has at least
// 3:1 contrast against white; every other series is dashed as well.
export const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#A86A00", "#7A4FB0", "#000000", "#595959"];
const DASHES = [[], [6, 3], [], [2, 2], [], [8, 3, 2, 3], [], [4, 4]];
/** The segment into a partial bucket: dotted and faint, whatever the series' own dash. */
const PARTIAL_DASH = [2, 4];

const UNIT = { day: "day", week: "week", month: "month" };
const AXIS = { day: "Day", week: "Week of (Monday)", month: "Month" };

/** @type {any} */
let chart = null;
let drawn = "";

/**
 * @param {PackageIndex} index @param {State} state @param {Map<string, Detail>} details
 * @param {Granularity} granularity the state's, or "month" when the data has no days
 * @param {string} validThru
 * @param {boolean} filtered the counts without crawlers and repeats (the state's, when the files have them)
 */
export function renderChart(index, state, details, granularity, validThru, filtered) {
  const loaded = state.chosen.flatMap((id, i) => {
    const d = details.get(id);
    const p = index.byId.get(id);
    return d && d.status === "ok" && p ? [{ label: displayName(index, p), color: i, data: shownSeries(d.data, filtered) }] : [];
  });
  const key = JSON.stringify([loaded.map((x) => x.label + x.color), state.metric, state.scale, granularity, state.range, validThru, filtered]);
  if (key === drawn && chart) return;
  drawn = key;

  const buckets = bucketsOf(
    loaded.map((x) => x.data),
    granularity,
    state.range,
    validThru,
  );
  const partial = buckets.map((b) => b.partial);
  const log = state.scale === "log";
  const dense = buckets.length > 60;
  const datasets = loaded.map((x) => {
    const color = COLORS[x.color % COLORS.length];
    return {
      label: x.label,
      // On a log scale a bucket without downloads is a gap (a log scale has no zero).
      data: valuesOf(x.data, buckets, granularity, state.metric).map((v) => (log && v <= 0 ? null : v)),
      borderColor: color,
      backgroundColor: color,
      borderDash: DASHES[x.color % DASHES.length],
      borderWidth: 2,
      pointRadius: partial.map((p) => (p ? 4 : dense ? 0 : 2)),
      pointStyle: partial.map((p) => (p ? "rectRot" : "circle")),
      pointHitRadius: 6,
      segment: { borderDash: (/** @type {{p1DataIndex: number}} */ ctx) => (partial[ctx.p1DataIndex] ? PARTIAL_DASH : undefined) },
      tension: 0,
      spanGaps: false,
    };
  });
  const labels = buckets.map((b) => b.key);
  const measure = state.metric === "ips" ? "Distinct IPs" : "Downloads";
  const yTitle = measure + " per " + UNIT[granularity] + (filtered ? ", without crawlers and repeats" : "");
  const last = buckets[buckets.length - 1];

  const canvas = /** @type {HTMLCanvasElement} */ (byId("chart"));
  canvas.setAttribute(
    "aria-label",
    datasets.length
      ? yTitle +
          " (" +
          (log ? "logarithmic" : "linear") +
          " scale) of " +
          datasets.map((d) => d.label).join(", ") +
          ", " +
          (labels[0] || "") +
          " to " +
          (labels[labels.length - 1] || "") +
          (last && last.partial ? " (to date)" : "") +
          ". The same numbers are in the table below the chart."
      : "No package chosen yet.",
  );
  renderNote(granularity, state, last, validThru);
  renderChartTable(buckets, datasets, granularity);

  const Chart = /** @type {any} */ (window).Chart;
  if (typeof Chart !== "function") {
    const empty = byId("chart-empty");
    empty.hidden = false;
    empty.textContent = "The chart library (static/chart.umd.min.js) could not be loaded.";
    return;
  }
  const values = datasets.flatMap((d) => d.data.filter((v) => v !== null));
  const options = chartOptions(
    labels,
    partial,
    AXIS[granularity],
    log ? yTitle + " (log scale)" : yTitle,
    log ? logTicks(/** @type {number[]} */ (values)) : null,
    validThru,
  );
  if (!chart) chart = new Chart(canvas.getContext("2d"), { type: "line", data: { labels, datasets }, options });
  else {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.options = options;
    chart.update("none");
  }
}

/**
 * @param {string[]} labels @param {boolean[]} partial @param {string} xTitle @param {string} yTitle
 * @param {{min: number, max: number, ticks: number[]} | null} log @param {string} validThru
 */
function chartOptions(labels, partial, xTitle, yTitle, log, validThru) {
  /** @param {number} i */
  const labelAt = (i) => (labels[i] || "") + (partial[i] ? " (to date)" : "");
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { position: "bottom", labels: { usePointStyle: true, pointStyle: "line" } },
      tooltip: {
        callbacks: {
          title: (/** @type {Array<{dataIndex: number}>} */ items) =>
            items[0] ? labelAt(items[0].dataIndex) + (partial[items[0].dataIndex] ? ", through " + validThru : "") : "",
          label: (/** @type {{dataset: {label: string}, parsed: {y: number}}} */ c) => c.dataset.label + ": " + formatCount(c.parsed.y),
        },
      },
    },
    scales: {
      x: {
        title: { display: true, text: xTitle },
        ticks: { autoSkip: true, maxRotation: 0, callback: (/** @type {unknown} */ _v, /** @type {number} */ i) => labelAt(i) },
      },
      y: log
        ? {
            type: "logarithmic",
            min: log.min,
            max: log.max,
            title: { display: true, text: yTitle },
            // Our ticks (1, 2, 5, 10, …), not Chart.js's, whose labels skip most of them.
            afterBuildTicks: (/** @type {{ticks: Array<{value: number}>}} */ axis) => {
              axis.ticks = log.ticks.map((value) => ({ value }));
            },
            ticks: { autoSkip: false, callback: (/** @type {number} */ v) => formatCount(v) },
          }
        : { type: "linear", beginAtZero: true, title: { display: true, text: yTitle }, ticks: { precision: 0 } },
    },
  };
}

/** @param {Granularity} granularity @param {State} state @param {Bucket | undefined} last @param {string} validThru */
function renderNote(granularity, state, last, validThru) {
  const parts = [];
  if (last && last.partial) {
    const which = granularity === "week" ? "The last week, from " + last.key + "," : "The last month, " + last.key + ",";
    parts.push(which + " is counted through " + validThru + " (to date): its point is drawn dotted, not as a drop.");
  }
  if (granularity === "week" && state.metric === "ips")
    parts.push("A week's distinct IPs are the sum of its days' distinct IPs (an IP on two days counts twice).");
  const note = byId("chart-note");
  note.textContent = parts.join(" ");
  note.hidden = parts.length === 0;
}

/**
 * @param {readonly Bucket[]} buckets @param {ReadonlyArray<{label: string, data: Array<number | null>}>} datasets
 * @param {Granularity} granularity
 */
function renderChartTable(buckets, datasets, granularity) {
  const table = byId("chart-table");
  table.textContent = "";
  const thead = el("thead");
  const hr = el("tr");
  hr.appendChild(el("th", null, AXIS[granularity])).scope = "col";
  for (const d of datasets) hr.appendChild(el("th", "text-end", d.label)).scope = "col";
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el("tbody");
  for (let i = buckets.length - 1; i >= 0; i--) {
    const b = /** @type {Bucket} */ (buckets[i]);
    const tr = el("tr");
    tr.appendChild(el("th", null, b.key + (b.partial ? " (to date)" : ""))).scope = "row";
    for (const d of datasets) tr.appendChild(el("td", "text-end", formatCount(d.data[i] ?? 0)));
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
}
