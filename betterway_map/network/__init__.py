"""The network in the product: the area's records loaded for the pure
analyses in ``domain.network``, the cached area report, council and worker
pages, the API, exports, monthly snapshots and the ``flask network`` commands."""
