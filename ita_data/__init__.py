"""ITA dashboard data: framework, Thai dates, importers, DuckDB store, views, figures, exports."""
