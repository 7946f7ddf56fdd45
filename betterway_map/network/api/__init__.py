"""The network API: area figures, cells, trends and a worker's people."""
