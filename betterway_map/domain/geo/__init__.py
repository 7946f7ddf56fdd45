"""Pure geography: postcodes, coordinates and distances. No Flask, no database."""
