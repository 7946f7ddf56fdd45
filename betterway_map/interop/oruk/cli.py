"""``flask oruk export --out DIR``: the ORUK API written to files;
``flask oruk import FILE...``: ORUK feeds read into the register.

See ``export`` for the layout. The links in the records (``url``, ``uri``)
point at ``--base-url``, or ``PUBLIC_BASE_URL`` when that is set.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from betterway_map.errors import BetterWayError
from betterway_map.interop.oruk.api import site_links
from betterway_map.interop.oruk.export import export
from betterway_map.interop.oruk.feed import FeedError, check_size
from betterway_map.interop.oruk.importing import DEFAULT_SOURCE, feeds_in, import_feed, refuse
from betterway_map.interop.oruk.query import DEFAULT_PER_PAGE, MAX_PER_PAGE

__all__ = ["oruk_cli"]

oruk_cli = AppGroup("oruk", help="Open Referral UK: the register as ORUK JSON, and feeds into it.")


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


@oruk_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--organisation",
    "organisation_id",
    type=click.IntRange(1, 2**31 - 1),
    default=None,
    help="Put every service into this organisation (its number) instead of the "
    "organisations the feed names.",
)
@click.option(
    "--source",
    default=DEFAULT_SOURCE,
    show_default=True,
    help="A name for the feed: records are found again by it and their ORUK id. "
    "Give each feed whose ids may clash (e.g. 1, 2, 3) its own.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_command(
    files: tuple[Path, ...], organisation_id: int | None, source: str, quiet: bool
) -> None:
    """Import ORUK feeds: JSON files (a page of services, several pages, a list
    or one service) and the ORUK CSV set (services.csv, organizations.csv, ...;
    or a folder holding them). Each JSON file, and the CSV set, is all or
    nothing; importing again updates what changed and adds nothing twice."""
    max_bytes = int(current_app.config["IMPORT_MAX_BYTES"])
    contents, failed = {}, 0
    for path in files:
        for one in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
            try:
                check_size(one.stat().st_size, one.name, max_bytes)  # before reading it
            except FeedError as error:
                click.echo(f"{one}: {refuse(error).message}", err=True)
                failed += 1
                continue
            contents[str(one)] = one.read_bytes()
    for name, read in feeds_in(contents, max_bytes):
        try:
            services = read()
            with tqdm(total=len(services), unit=" services", disable=quiet, desc=name[-40:]) as bar:
                report = import_feed(
                    services,
                    Path(name).name if name in contents else name,
                    None,
                    organisation_id=organisation_id,
                    source=source,
                    progress=bar.update,
                )
        except BetterWayError as error:
            click.echo(f"{name}: {error.message}", err=True)
            failed += 1
            continue
        for line in report.lines():
            click.echo(line)
    if failed:
        raise SystemExit(1)
