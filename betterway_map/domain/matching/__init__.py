"""Matching volunteers with the people who need them: pure code, plain data.

``model`` holds the records the matcher reads (``Need``, ``Offer``,
``Weights``); ``constraints`` the hard rules no match may break, one pair at
a time. The services load these records from the database and store what
comes out; nothing here knows of Flask or SQLAlchemy.
"""
