"""The pure core: plain data in and out, no Flask, no database, no folium.

geo/ (postcodes, distances, postcode files), schedule/ (when groups meet),
network/ (the relationship graph and its analyses), measures/ (loneliness
scales), and the single rules every capability shares: suppression (which
figures about people may be shown), vocab, money and clock.
"""
