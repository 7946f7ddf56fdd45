"""Network pages: the council's figures and network map, a worker's people and connectors."""
