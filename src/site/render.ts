// Every HTML page from its view model and the one Eta setup. Rendering never writes: each function
// returns the page as a string; the render workers (render-worker.ts) write it into the idle slot.
import { Eta } from "eta";
import { fileURLToPath } from "node:url";
import { escapeHtml, scriptJson } from "./escape.js";
import type { ExplorePageView } from "./explore.js";
import type { CategoryPageView, StatsPageView } from "./views.js";

const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));

const eta = new Eta({ views: TEMPLATES, cache: true, autoEscape: true, escapeFunction: escapeHtml, autoTrim: [false, "nl"] });

export function renderCategoryPage(view: CategoryPageView): string {
  return eta.render("./category", view);
}

export function renderStatsPage(view: StatsPageView): string {
  return eta.render("./stats", { ...view, chartJson: scriptJson(view.chartData) });
}

export function renderExplorePage(view: ExplorePageView): string {
  return eta.render("./explore", { ...view, categoriesJson: scriptJson(view.categories) });
}
