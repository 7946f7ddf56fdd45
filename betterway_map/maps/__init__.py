"""Maps: folium builders that take plain data. No Flask, no database.

Every string that reaches a map passes through ``safe_text.map_text``.
"""
