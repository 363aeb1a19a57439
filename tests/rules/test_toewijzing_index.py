"""The registers' allocation index: the stands by number and parties, and per client the
first of them, as a scan of the number's stands would find it."""

from __future__ import annotations

from datetime import date

from app.rules.context import ToewijzingIndex, ToewijzingStand

STAND = ToewijzingStand(
    gemeentecode="0363",
    agb="73731234",
    bsn="999958379",
    toewijzing_nummer="0101",
    categorie="02",
    code="02A07",
    toewijzingsdatum=date(2025, 1, 3),
    ingangsdatum=date(2025, 1, 6),
    einddatum=None,
    reden_wijziging=None,
    volume=4,
    eenheid="04",
    frequentie="2",
    budget=None,
    referentie_aanbieder=None,
    bericht_id=1,
)


def test_stands_are_grouped_by_number_as_sent_and_parties_in_order() -> None:
    other_client = STAND._replace(bsn="999971153", bericht_id=2)
    other_provider = STAND._replace(agb="12345678")
    as_number = STAND._replace(toewijzing_nummer="101")
    index = ToewijzingIndex.of([STAND, other_client, other_provider, as_number])
    assert index.per_partijen[("0101", "0363", "73731234")] == (STAND, other_client)
    assert index.per_partijen[("0101", "0363", "12345678")] == (other_provider,)
    assert index.per_partijen[("101", "0363", "73731234")] == (as_number,)
    assert index.per_client[("0101", "0363", "73731234", "999971153")] == other_client
    assert ("0101", "0364", "73731234", "999958379") not in index.per_client


def test_per_client_the_first_stand_counts() -> None:
    later = STAND._replace(bericht_id=9)
    index = ToewijzingIndex.of([STAND, later])
    assert index.per_client[("0101", "0363", "73731234", "999958379")] == STAND
    assert index.per_partijen[("0101", "0363", "73731234")] == (STAND, later)


def test_an_empty_index_knows_nothing() -> None:
    assert not ToewijzingIndex().per_partijen
    assert not ToewijzingIndex().per_client
