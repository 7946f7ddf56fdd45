"""The demo: a fictional area (generator/, pure), loaded into the database
(load.py) by ``flask demo`` (cli.py)."""
