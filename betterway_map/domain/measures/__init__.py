"""Pure measures of loneliness and relationships: no Flask, no database."""
