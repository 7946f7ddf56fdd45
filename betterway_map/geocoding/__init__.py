"""Placing postcodes: the gazetteer table and its import, the geocoding
chain (gazetteer, then an optional online geocoder) and its cache."""
