"""The measures pages: recording within a relationship, and the dashboards."""
