"""Open Referral UK (HSDS-UK 3.0): the register as a read-only public API and
files, and ORUK feeds imported into it.

Active groups are services, the spaces they meet at are locations, their
meetings are RFC 5545 schedules and the interests and audiences
vocabularies are taxonomies. Nothing about a person is ever included.

``ids`` and ``taxonomies`` and ``mapping`` are pure (no Flask, no database);
``query`` reads the filters, ``services`` runs them in SQL, ``api`` is the
blueprint at ``/oruk``, ``export`` writes it all to files and ``cli`` is
``flask oruk export`` and ``flask oruk import``.

The other way: ``feed`` reads a feed's files (JSON pages, the CSV set),
``reading`` and ``schedules`` map its services to our records (pure, the
reverse of ``mapping``), ``importing`` writes them (one transaction per
file) and ``views`` is the upload page at ``/import/oruk``.
"""
