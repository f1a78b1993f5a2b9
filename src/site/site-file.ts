// What a plan of the tree is made of: paths now, content when a worker renders it. Rendering is
// pure: any entry renders alone, in any order, on any worker, and gives the same bytes.

export type FileBody = string | Uint8Array;

/** One file. */
export interface SiteFile {
  /** Relative to the site root, `/`-separated. */
  readonly path: string;
  /**
   * What the content is made from, when that is cheaper to know than the content: a slot
   * holding the path made from the same key holds the same bytes, and the file is not rendered
   * (tree-slots.ts keeps each slot's keys).
   */
  readonly key?: string;
  render(): FileBody;
}

/**
 * Several files made by one piece of work (the export pages and the full file made of the same
 * text), rendered by one worker, one file at a time, so that only one is held in memory.
 */
export interface SiteFileSet {
  readonly paths: readonly string[];
  /** Each of `paths` once, in that order. */
  render(): Iterable<readonly [path: string, body: FileBody]>;
}

export type PlannedFile = SiteFile | SiteFileSet;

export interface SitePlan {
  readonly files: readonly PlannedFile[];
  /** Packages left out because their name cannot be in the site, one reason each (see usable-names.ts). */
  readonly skipped: readonly string[];
}

/** Every path a plan writes, in plan order. */
export function plannedPaths(plan: SitePlan): string[] {
  return plan.files.flatMap((f) => ("paths" in f ? f.paths : [f.path]));
}

/** Renders one planned entry: its files, path and body. */
export function renderPlanned(file: PlannedFile): Iterable<readonly [string, FileBody]> {
  return "paths" in file ? file.render() : [[file.path, file.render()]];
}
