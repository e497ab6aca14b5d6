// The overview's charts: weekly counts per event type and the places of events. The data comes
// from JSON blocks in the page (no inline script: the Content-Security-Policy forbids it).
// Each mark links (href) to the events behind it. `ast: true` makes Vega interpret expressions
// instead of compiling them with Function(), which the CSP also forbids.
"use strict";

function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : [];
}

// vega-embed and its tooltips would otherwise inject <style> elements, which the CSP blocks;
// their few rules are in style.css instead.
const options = {
  actions: false, renderer: "svg", ast: true, defaultStyle: false,
  tooltip: { disableDefaultStyle: true },
};

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

// Russia and its neighbours (ISO 3166-1 numeric, as world-atlas names them) under the points.
const OUTLINE_IDS = ["643", "246", "233", "428", "440", "112", "804", "398", "578", "268", "031", "051", "496"];

function placesMap() {
  const values = readJson("places-data");
  if (!values.length) return;
  const el = document.getElementById("map");
  const points = {
    data: { values: values },
    mark: { type: "circle", cursor: "pointer", opacity: 0.75, color: "#c0392b" },
    encoding: {
      longitude: { field: "lon", type: "quantitative" },
      latitude: { field: "lat", type: "quantitative" },
      size: { field: "events", type: "quantitative", title: "events" },
      href: { field: "url" },
      tooltip: [{ field: "place" }, { field: "events" }],
    },
  };
  const layers = [points];
  if (el.dataset.outlines) {
    layers.unshift({
      data: { url: el.dataset.outlines, format: { type: "topojson", feature: "countries" } },
      transform: [{ filter: { field: "id", oneOf: OUTLINE_IDS } }],
      mark: { type: "geoshape", fill: "#eceff1", stroke: "#90a4ae", strokeWidth: 0.5 },
    });
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 360, title: "Places (circle area: events)",
    // Albers for Russia: central meridian 100°E, standard parallels 52°N and 64°N.
    projection: { type: "conicEqualArea", rotate: [-100, 0], parallels: [52, 64] },
    layer: layers,
  };
  vegaEmbed("#map", spec, options);
}

weeklyChart();
placesMap();
