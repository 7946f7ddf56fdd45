"""The network: pure code over plain records (``records.py``), no Flask,
no database. ``services/network.py`` loads the records; everything here
takes and returns plain data and networkx graphs."""
