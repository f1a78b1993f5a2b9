// TSV or CSV, told apart by the header line. Fields are simple (no embedded separators), but
// CSV writers quote empty strings and some names, so surrounding double quotes are removed.
export type Splitter = (line: string) => string[];

export function splitterFor(header: string): Splitter {
  if (header.includes("\t")) return (line) => line.split("\t");
  return (line) => line.split(",").map(unquote);
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
}
