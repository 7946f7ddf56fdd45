"""``flask oruk export --out DIR``: the ORUK API written to files.

See ``export`` for the layout. The links in the records (``url``, ``uri``)
point at ``--base-url``, or ``PUBLIC_BASE_URL`` when that is set.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from betterway_map.interop.oruk.api import site_links
from betterway_map.interop.oruk.export import export
from betterway_map.interop.oruk.query import DEFAULT_PER_PAGE, MAX_PER_PAGE

__all__ = ["oruk_cli"]

oruk_cli = AppGroup("oruk", help="Open Referral UK: the register as ORUK JSON.")


@oruk_cli.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write into (made if missing; an earlier export in it is replaced).",
)
@click.option(
    "--per-page",
    type=click.IntRange(1, MAX_PER_PAGE),
    default=DEFAULT_PER_PAGE,
    show_default=True,
    help="Records on each page file, as the API's per_page.",
)
@click.option(
    "--base-url",
    default=None,
    help="The site's address for links to its pages; PUBLIC_BASE_URL unless given.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def export_command(out: Path, per_page: int, base_url: str | None, quiet: bool) -> None:
    """Write index.json and every page and record of services,
    service_at_locations, taxonomies and taxonomy_terms as the API answers them."""
    base_url = base_url or current_app.config.get("PUBLIC_BASE_URL")
    if not base_url:
        base_url = "http://localhost/"
        click.echo(
            "PUBLIC_BASE_URL is not set: links to pages start http://localhost/ "
            "(give --base-url https://your.site/ to change that).",
            err=True,
        )
    with (
        current_app.test_request_context("/", base_url=base_url),
        tqdm(total=0, unit=" files", disable=quiet, desc="ORUK export") as bar,
    ):

        def progress(done: int, more: int) -> None:
            if more:
                bar.total += more
                bar.refresh()
            bar.update(done)

        report = export(
            out, site_links(), current_app.json.dumps, per_page=per_page, progress=progress
        )
    for collection, pages in report.pages.items():
        click.echo(f"{collection}: {report.records[collection]} records in {pages} pages")
    click.echo(f"Wrote {out}")
