"""OpenActive: the register's physical activities as an RPDE feed of SessionSeries.

``activities`` (our interests on the OpenActive Activity List) and
``mapping`` (groups as SessionSeries and RPDE items) are pure; ``feed``
pages through the register by the RPDE rules; ``views`` serves the feed and
the dataset site at ``/openactive/``.
"""
