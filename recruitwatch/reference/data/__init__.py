"""Generated gazetteer data (see LICENSES.md); a package so that wheels ship it."""
