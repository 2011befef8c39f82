"""Drawing chart specifications: Plotly figures for the pages and PNG files for reports."""
