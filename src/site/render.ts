// Rendering never writes: each function returns the page as a string; site/write-tree.ts persists it.
import { Eta } from "eta";
import { fileURLToPath } from "node:url";
import { escapeHtml, scriptJson } from "./escape.js";
import type { CategoryPageView, StatsPageView } from "./views.js";

const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));

const eta = new Eta({ views: TEMPLATES, cache: true, autoEscape: true, escapeFunction: escapeHtml, autoTrim: [false, "nl"] });

export function renderCategoryPage(view: CategoryPageView): string {
  return eta.render("./category", view);
}

export function renderStatsPage(view: StatsPageView): string {
  return eta.render("./stats", { ...view, chartJson: scriptJson(view.chartData) });
}
