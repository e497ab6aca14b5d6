// The overview's charts: weekly counts per event type and the places of events. The data comes
// from JSON blocks in the page (no inline script: the Content-Security-Policy forbids it).
// Each mark links (href) to the events behind it. `ast: true` makes Vega interpret expressions
// instead of compiling them with Function(), which the CSP also forbids.
"use strict";

function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : [];
}

const options = { actions: false, renderer: "svg", ast: true };

function weeklyChart() {
  const values = readJson("weekly-data").filter((r) => r.week);
  if (!values.length) return;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 220, data: { values: values },
    mark: { type: "bar", cursor: "pointer" },
    encoding: {
      x: { field: "week", type: "ordinal", title: "week (Monday)" },
      y: { field: "events", type: "quantitative", title: "events" },
      color: { field: "type", type: "nominal", title: "event type" },
      href: { field: "url" },
      tooltip: [{ field: "week" }, { field: "type" }, { field: "events" }],
    },
  };
  vegaEmbed("#chart", spec, options);
}

function placesMap() {
  const values = readJson("places-data");
  if (!values.length) return;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 320, title: "Places (circle area: events)",
    projection: { type: "mercator" }, data: { values: values },
    mark: { type: "circle", cursor: "pointer", opacity: 0.7 },
    encoding: {
      longitude: { field: "lon", type: "quantitative" },
      latitude: { field: "lat", type: "quantitative" },
      size: { field: "events", type: "quantitative" },
      href: { field: "url" },
      tooltip: [{ field: "place" }, { field: "events" }],
    },
  };
  vegaEmbed("#map", spec, options);
}

weeklyChart();
placesMap();
