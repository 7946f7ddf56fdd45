"""Spreadsheets of venues and groups, pure: encodings, delimiters, columns,
postcodes, closed rows and keys (``domain.tables``, ``domain.register_rows``)."""

from __future__ import annotations

import codecs

import pytest

from betterway_map.domain.geo.postcodes import PostcodeError
from betterway_map.domain.register_rows import clean_postcode, read_rows
from betterway_map.domain.tables import TableError, find_columns, read_table

HEADER = "Venue Name,Address,Post Code,Status"
ROW = "Caf\u00e9 Hall,1 High St,ne26 1ej.,Open"


@pytest.mark.parametrize(
    "data",
    [
        f"{HEADER}\n{ROW}\n".encode(),
        codecs.BOM_UTF8 + f"{HEADER}\r\n{ROW}\r\n".encode(),
        f"{HEADER}\r\n{ROW}\r\n".encode("cp1252"),
        f"{HEADER}\n{ROW}\n".replace(",", ";").encode(),
        f"{HEADER}\n{ROW}\n".replace(",", "\t").encode(),
        codecs.BOM_UTF16_LE + f"{HEADER}\n{ROW}\n".encode("utf-16-le"),
    ],
    ids=["utf8", "bom", "cp1252", "semicolon", "tab", "utf16"],
)
def test_every_encoding_and_delimiter_reads_the_same_row(data):
    (row,) = read_rows(read_table(data, "v.csv"), "spaces")
    assert (row.values["name"], row.values["postcode"]) == ("Caf\u00e9 Hall", "NE26 1EJ")


@pytest.mark.parametrize(
    "raw, clean",
    [("ne26 1ej.", "NE26 1EJ"), (" NE261EJ ", "NE26 1EJ"), ("sw1a-1aa", "SW1A 1AA")],
)
def test_postcodes_are_cleaned(raw, clean):
    assert clean_postcode(raw) == clean


@pytest.mark.parametrize("raw", ["[Unknown]", "unknown", "N/A", "", "not a postcode"])
def test_what_is_not_a_postcode_is_refused(raw):
    with pytest.raises(PostcodeError):
        clean_postcode(raw)


@pytest.mark.parametrize(
    "row, refused",
    [
        ("Hall,1 High St,[Unknown],Open", "the postcode is '[Unknown]'"),
        ("Hall,1 High St,,Open", "it has no postcode"),
        ("Hall,,NE26 1EJ,Open", "it has no address"),
        (",1 High St,NE26 1EJ,Open", "it has no name"),
    ],
)
def test_a_bad_row_says_why_with_its_line(row, refused):
    (found,) = read_rows(read_table(f"{HEADER}\n{row}\n".encode(), "v.csv"), "spaces")
    assert (found.line, found.refused) == (2, refused)


@pytest.mark.parametrize(
    "header, value, closed",
    [
        ("Status", "Closed", True),
        ("Status", "Permanently closed", True),
        ("Status", "Open", False),
        ("Closed", "Yes", True),
        ("Closed", "No", False),
        ("Open", "No", True),
    ],
)
def test_rows_marked_closed(header, value, closed):
    data = f"Name,Address,Postcode,{header}\nHall,1 St,NE26 1EJ,{value}\n".encode()
    assert read_rows(read_table(data, "v.csv"), "spaces")[0].closed is closed


def test_the_key_is_the_reference_when_there_is_one_else_name_and_postcode():
    data = b"Ref,Name,Address,Postcode\nL-7,Hall,1 St,NE26 1EJ\n,Hall B,1 St,NE26 1EJ\n"
    keys = [row.key for row in read_rows(read_table(data, "v.csv"), "spaces")]
    assert keys == ["ref:L-7", "hallb|NE26 1EJ"]


def test_a_column_mapping_given_wins_over_the_names():
    data = b"Where,Zip code thing,Street\nHall,NE26 1EJ,1 St\n"
    given = {"name": "Where", "postcode": "zip code thing", "address": "Street"}
    (row,) = read_rows(read_table(data, "v.csv"), "spaces", given)
    assert (row.values["name"], row.values["postcode"]) == ("Hall", "NE26 1EJ")


@pytest.mark.parametrize(
    "given, said",
    [({"postcode": "Nope"}, "no column 'Nope'"), ({"colour": "Name"}, "'colour' is not a column")],
)
def test_a_mapping_to_nothing_is_refused(given, said):
    with pytest.raises(TableError, match=said):
        find_columns(["Name"], {"name": (), "postcode": ()}, given)


@pytest.mark.parametrize(
    "data, said",
    [(b"", "is empty"), (b"<html><body>", "web page"), (b"A,a\n1,2\n", "more than one column")],
)
def test_a_file_that_is_not_a_table_is_refused(data, said):
    with pytest.raises(TableError, match=said):
        read_table(data, "v.csv")


def test_a_group_row_reads_its_day_times_cost_and_interests():
    data = b"Group,Venue,Day,Start,End,Cost,Interests\nKnit,Hall,Tuesdays,10.00,12:00,50p,Arts and crafts;knitting\n"
    (row,) = read_rows(read_table(data, "g.csv"), "groups")
    values = row.values
    assert (values["weekday"], values["start_time"], values["cost_pence"]) == ("tue", "10:00", 50)
    assert values["interests"] == ["arts_crafts"] and row.venue == "Hall"
    assert "knitting" in row.notes[0]
