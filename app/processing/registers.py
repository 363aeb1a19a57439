"""The registers in the processing of a message: what earlier messages established, read
for the level-3 rules (``prefetch_registers``), and what this message establishes once it
is processed and not rejected (``record``). Both run in the processing transaction.

Reads are batched by what the message names (its client's BSN, its ToewijzingNummers, its
ReferentieAanbieders): one query per field of ``Registers``, whatever the number of lines.
Writes are one statement per table (executemany). The parties come from the Header: the
municipality's gemeentecode and the provider's AGB, whichever of Afzender and Ontvanger
each is for the message type. BSNs are stored (the rules need them) and never logged.

``Registers.identificaties`` (TR056) reads the stored messages (``berichten``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.processing import declaratie_register
from app.processing.checking import CheckResult
from app.rules.context import (
    Aanlevering,
    DeclaratieRegister,
    Registers,
    ToewijzingIndex,
    ToewijzingStand,
    VerzoekStand,
)
from app.rules.declaraties import toewijzingen_per_prestatie
from app.standard import model
from app.standard.catalog import Rol
from app.standard.outcome import Outcome
from app.standard.periods import MONTHS, PeriodScheme
from app.storage import models
from app.storage.repositories import berichten
from app.storage.repositories import declaraties as declaraties_repo
from app.storage.repositories import registers as repo
from app.storage.repositories.registers import Parties

T = TypeVar("T")

STATUS_VERWIJDEREN = "3"


# --- what a message names -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Named:
    """The keys a message names, by which its registers are read."""

    parties: Parties
    bsns: frozenset[str] = frozenset()
    nummers: frozenset[str] = frozenset()
    referenties: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Collect:
    bsns: set[str] = field(default_factory=set)
    nummers: set[str] = field(default_factory=set)
    referenties: set[str] = field(default_factory=set)


def parties_of(result: CheckResult) -> Parties | None:
    """The municipality and provider of a typed message (None before level 2)."""
    if result.message is None or result.bericht_type is None:
        return None
    header = result.message.header
    gemeente, agb = header.afzender, header.ontvanger
    if result.bericht_type.afzender is Rol.AANBIEDER:
        gemeente, agb = agb, gemeente
    return Parties(result.bericht_type.standaard.value, gemeente, agb)


def _collect(message: model.Bericht, into: _Collect) -> None:
    match message:
        case model.ToewijzingBericht(client=client):
            into.bsns.add(client.bsn)
            for tp in client.toegewezen_producten:
                into.nummers.add(model.nummer_als_verzonden(tp))
                if tp.referentie_aanbieder is not None:
                    into.referenties.add(tp.referentie_aanbieder)
        case model.StartBericht(client=start):
            into.bsns.add(start.bsn)
            into.nummers.update(_line_nummers(start.start_producten))
        case model.StopBericht(client=stop):
            into.bsns.add(stop.bsn)
            into.nummers.update(_line_nummers(stop.stop_producten))
        case model.VerzoekOmToewijzingBericht(client=vot):
            into.bsns.add(vot.bsn)
            into.referenties.update(p.referentie_aanbieder for p in vot.aangevraagde_producten)
        case model.VerzoekOmWijzigingBericht(client=vow):
            into.bsns.add(vow.bsn)
            into.referenties.add(vow.verzoek.referentie_aanbieder)
            verzoek = vow.verzoek
            for ongewijzigd in verzoek.ongewijzigde_producten:
                into.nummers.add(model.nummer_als_verzonden(ongewijzigd))
            for te_wijzigen in verzoek.te_wijzigen_producten:
                into.nummers.add(model.nummer_als_verzonden(te_wijzigen))
        case model.AntwoordBericht(antwoord=antwoord):
            into.referenties.add(antwoord.referentie_aanbieder)


def _line_nummers(lines: Iterable[model.StartProduct | model.StopProduct]) -> Iterator[str]:
    for line in lines:
        sent = model.nummer_als_verzonden(line)
        if sent:
            yield sent


def named(result: CheckResult) -> Named | None:
    """What the message names, or None for a message without registers (retours,
    declarations, a message that did not pass level 1)."""
    parties = parties_of(result)
    if parties is None or result.message is None:
        return None
    keys = _Collect()
    _collect(result.message, keys)
    if not (keys.bsns or keys.referenties):  # it names no client and no request
        return None
    return Named(
        parties, frozenset(keys.bsns), frozenset(keys.nummers), frozenset(keys.referenties)
    )


# --- prefetch -----------------------------------------------------------------------------


def _grouped(items: Iterable[T], key: Callable[[T], str]) -> MappingProxyType[str, tuple[T, ...]]:
    """The items by key, in their order. Most keys have one item (a declaration's 10,000
    allocations, 10,000 numbers): a tuple made at once, extended only for the few others."""
    groups: dict[str, tuple[T, ...]] = {}
    for item in items:
        k = key(item)
        found = groups.get(k)
        groups[k] = (item,) if found is None else (*found, item)
    return MappingProxyType(groups)


def toewijzing_stand(row: models.Toewijzing) -> ToewijzingStand:
    return ToewijzingStand(
        gemeentecode=row.gemeentecode,
        agb=row.agb,
        bsn=row.bsn,
        toewijzing_nummer=row.toewijzing_nummer,
        categorie=row.categorie,
        code=row.code,
        toewijzingsdatum=row.toewijzingsdatum,
        ingangsdatum=row.ingangsdatum,
        einddatum=row.einddatum,
        reden_wijziging=row.reden_wijziging,
        volume=row.volume,
        eenheid=row.eenheid,
        frequentie=row.frequentie,
        budget=row.budget,
        referentie_aanbieder=row.referentie_aanbieder,
        bericht_id=row.bericht_id,
    )


def _aanlevering(row: models.Aanlevering) -> Aanlevering:
    soort: Literal["start", "stop"] = "start" if row.soort == "start" else "stop"
    return Aanlevering(
        soort=soort,
        gemeentecode=row.gemeentecode,
        agb=row.agb,
        bsn=row.bsn,
        toewijzing_nummer=row.toewijzing_nummer or None,
        categorie=row.categorie or None,
        code=row.code or None,
        begindatum=row.begindatum,
        einddatum=row.einddatum,
        reden_beeindiging=row.reden_beeindiging,
        verwijderd=row.verwijderd,
        bericht_id=row.bericht_id,
    )


def _verzoeken(
    rows: Sequence[tuple[models.Verzoek, models.VerzoekAntwoord | None]],
) -> list[VerzoekStand]:
    """One stand per request, its answers folded in (rows come ordered by request, answer)."""
    requests: dict[int, models.Verzoek] = {}
    answers: dict[int, list[str]] = defaultdict(list)
    for verzoek, antwoord in rows:
        requests.setdefault(verzoek.id, verzoek)
        if antwoord is not None:
            answers[verzoek.id].append(antwoord.verzoek_antwoord)
    return [
        VerzoekStand(
            soort="315" if v.soort == "315" else "317",
            gemeentecode=v.gemeentecode,
            agb=v.agb,
            bsn=v.bsn,
            referentie_aanbieder=v.referentie_aanbieder,
            dagtekening=v.dagtekening,
            antwoorden=tuple(answers[v.id]),
            gehonoreerd=v.gehonoreerd_bericht_id is not None,
            bericht_id=v.bericht_id,
        )
        for v in requests.values()
    ]


async def _toewijzingen(
    session: AsyncSession, keys: Named
) -> MappingProxyType[str, tuple[ToewijzingStand, ...]]:
    rows = await repo.toewijzingen_of_clients(session, keys.parties, keys.bsns)
    return _grouped(map(toewijzing_stand, rows), lambda s: s.bsn)


# A stand's fields are columns of the same name: the repository reads them as plain rows in
# this order (then the id), so each row is a stand's arguments.
_STAND_FIELDS = ToewijzingStand._fields
_STAND_WIDTH = len(_STAND_FIELDS)
_NUMMER = attrgetter("toewijzing_nummer")


async def _toewijzingen_op_nummer(
    session: AsyncSession, keys: Named
) -> tuple[MappingProxyType[str, tuple[ToewijzingStand, ...]], ToewijzingIndex]:
    """The stands with the numbers named, by number and in the index the declaration's rules
    read (``Registers.toewijzing_index``)."""
    p = keys.parties
    rows = await repo.toewijzingen_by_nummer(
        session, p.standaard, p.gemeentecode, keys.nummers, _STAND_FIELDS
    )
    stand = ToewijzingStand._make
    stands = [stand(row[:_STAND_WIDTH]) for row in rows]
    return _grouped(stands, _NUMMER), ToewijzingIndex.of(stands)


async def _aanleveringen(
    session: AsyncSession, keys: Named
) -> MappingProxyType[str, tuple[Aanlevering, ...]]:
    rows = await repo.aanleveringen_of_clients(session, keys.parties, keys.bsns)
    return _grouped(map(_aanlevering, rows), lambda a: a.bsn)


async def _verzoeken_op_referentie(
    session: AsyncSession, keys: Named
) -> MappingProxyType[str, tuple[VerzoekStand, ...]]:
    p = keys.parties
    rows = await repo.verzoeken_by_referentie(session, p.standaard, p.agb, keys.referenties)
    return _grouped(_verzoeken(rows), lambda v: v.referentie_aanbieder)


async def _verzoeken_per_client(
    session: AsyncSession, keys: Named
) -> MappingProxyType[str, tuple[VerzoekStand, ...]]:
    rows = await repo.verzoeken_of_clients(session, keys.parties, keys.bsns)
    return _grouped(_verzoeken(rows), lambda v: v.bsn)


async def prefetch_registers(
    session: AsyncSession, result: CheckResult, periods: PeriodScheme = MONTHS
) -> Registers:
    """Every register field for what the message names (see ``Registers`` for each field's
    scope), at most one query per field. The allocations a 323 declares on, or a 301
    deletes, are locked first (TR321/TR322/TR369/TR389, TR385: see ``lock_toewijzingen``);
    ``periods`` are the declaration periods of the municipality's region (TR318)."""
    if isinstance(result.message, model.DeclaratieBericht):
        return await _declaratie_registers(session, result, result.message, periods)
    keys = named(result)
    if keys is None:
        return Registers()
    op_nummer, index = await _toewijzingen_op_nummer(session, keys)
    return Registers(
        identificaties=await _identificaties(session, result),
        toewijzingen=await _toewijzingen(session, keys),
        toewijzingen_op_nummer=op_nummer,
        toewijzing_index=index,
        aanleveringen=await _aanleveringen(session, keys),
        verzoeken_op_referentie=await _verzoeken_op_referentie(session, keys),
        verzoeken_per_client=await _verzoeken_per_client(session, keys),
        declaraties=await _verwijderd(session, keys, result.message),
    )


def _verwijderde_nummers(message: model.Bericht | None) -> frozenset[str]:
    """The ToewijzingNummers a 301 deletes (RedenWijziging 13: TR385 reads their lines)."""
    if not isinstance(message, model.ToewijzingBericht):
        return frozenset()
    return frozenset(
        model.nummer_als_verzonden(tp)
        for tp in message.client.toegewezen_producten
        if tp.reden_wijziging == "13"
    )


async def _verwijderd(
    session: AsyncSession, keys: Named, message: model.Bericht | None
) -> DeclaratieRegister:
    """For a 301 deleting allocations: their standing debets, read under their lock."""
    nummers = _verwijderde_nummers(message)
    if not nummers:
        return DeclaratieRegister()
    p = keys.parties
    await repo.lock_toewijzingen(session, p.standaard, p.gemeentecode, nummers)
    return DeclaratieRegister(
        per_toewijzing=await declaratie_register.standing_debets(session, p, nummers)
    )


def _prestatie_nummers(message: model.DeclaratieBericht) -> frozenset[str]:
    return frozenset(
        model.nummer_als_verzonden(p)
        for client in message.declaratie.clienten
        for p in client.prestaties
    )


async def _declaratie_registers(
    session: AsyncSession,
    result: CheckResult,
    message: model.DeclaratieBericht,
    periods: PeriodScheme,
) -> Registers:
    """A 323's fields: its provider's earlier 323s (TR056), the allocations its prestaties
    name, and the declaration register; the provider and the allocations locked before
    anything is read."""
    parties = parties_of(result)
    assert parties is not None
    nummers = _prestatie_nummers(message)
    await declaraties_repo.lock_aanbieder(session, parties.agb)
    await repo.lock_toewijzingen(session, parties.standaard, parties.gemeentecode, nummers)
    op_nummer, index = await _toewijzingen_op_nummer(session, Named(parties, nummers=nummers))
    return Registers(
        identificaties=await _identificaties(session, result),
        toewijzingen_op_nummer=op_nummer,
        toewijzing_index=index,
        prestatie_toewijzingen=toewijzingen_per_prestatie(message, index),
        declaraties=await declaratie_register.for_declaratie(
            session, parties, message, nummers, periods
        ),
    )


async def _identificaties(session: AsyncSession, result: CheckResult) -> frozenset[str]:
    """The Identificaties the message's sender used before for this type in messages that
    were assessed (TR056); the sender of a retour is its Header's Ontvanger (IV028)."""
    assert result.message is not None
    assert result.bericht_type is not None
    header = result.message.header
    sender = header.ontvanger if result.bericht_type.is_retour else header.afzender
    return await berichten.used_identificaties(session, result.bericht_type.code, sender)


# --- record -------------------------------------------------------------------------------


def _last_per_key(rows: list[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    """Flag the last row of each key current: a message's later line replaces an earlier one
    with the same key, as a later message's would."""
    last = {key(row): i for i, row in enumerate(rows)}
    for i, row in enumerate(rows):
        row["huidig"] = last[key(row)] == i
    return rows


def _toewijzing_rows(
    bericht_id: int, parties: Parties, client: model.ToewijzingClient
) -> list[dict[str, Any]]:
    rows = []
    for tp in client.toegewezen_producten:
        omvang = tp.omvang
        rows.append(
            {
                "bericht_id": bericht_id,
                "standaard": parties.standaard,
                "gemeentecode": parties.gemeentecode,
                "agb": parties.agb,
                "bsn": client.bsn,
                "toewijzing_nummer": model.nummer_als_verzonden(tp),
                "referentie_aanbieder": tp.referentie_aanbieder,
                "categorie": tp.product.categorie if tp.product else None,
                "code": tp.product.code if tp.product else None,
                "toewijzingsdatum": tp.toewijzingsdatum,
                "toewijzingstijd": tp.toewijzingstijd,
                "ingangsdatum": tp.ingangsdatum,
                "einddatum": tp.einddatum,
                "reden_wijziging": tp.reden_wijziging,
                "volume": omvang.volume if omvang else None,
                "eenheid": omvang.eenheid if omvang else None,
                "frequentie": omvang.frequentie if omvang else None,
                "budget": tp.budget,
            }
        )
    return _last_per_key(rows, lambda row: row["toewijzing_nummer"])


def _aanlevering_rows(
    bericht_id: int,
    parties: Parties,
    bsn: str,
    lines: Sequence[model.StartProduct | model.StopProduct],
) -> list[dict[str, Any]]:
    rows = []
    for line in lines:
        stop = line if isinstance(line, model.StopProduct) else None
        rows.append(
            {
                "bericht_id": bericht_id,
                "soort": "start" if stop is None else "stop",
                "standaard": parties.standaard,
                "gemeentecode": parties.gemeentecode,
                "agb": parties.agb,
                "bsn": bsn,
                "toewijzing_nummer": model.nummer_als_verzonden(line),
                "categorie": (line.product.categorie if line.product else None) or "",
                "code": (line.product.code if line.product else None) or "",
                "toewijzing_ingangsdatum": line.toewijzing_ingangsdatum,
                "begindatum": line.begindatum,
                "einddatum": stop.einddatum if stop else None,
                "reden_beeindiging": stop.reden_beeindiging if stop else None,
                "status_aanlevering": line.status_aanlevering,
                "verwijderd": line.status_aanlevering == STATUS_VERWIJDEREN,
            }
        )
    return _last_per_key(rows, repo.aanlevering_key)


def _verzoek_row(
    bericht_id: int, parties: Parties, soort: str, bsn: str, referentie: str, header: model.Header
) -> dict[str, Any]:
    return {
        "bericht_id": bericht_id,
        "soort": soort,
        "standaard": parties.standaard,
        "gemeentecode": parties.gemeentecode,
        "agb": parties.agb,
        "bsn": bsn,
        "referentie_aanbieder": referentie,
        "dagtekening": header.dagtekening,
    }


async def _record_301(
    session: AsyncSession, bericht_id: int, parties: Parties, message: model.ToewijzingBericht
) -> None:
    client = message.client
    rows = _toewijzing_rows(bericht_id, parties, client)
    await repo.add_toewijzingen(session, parties.standaard, parties.gemeentecode, rows)
    referenties = {r["referentie_aanbieder"] for r in rows if r["referentie_aanbieder"]}
    await repo.honour_verzoeken(session, parties, client.bsn, referenties, bericht_id)


async def _record_lines(
    session: AsyncSession,
    bericht_id: int,
    parties: Parties,
    client: model.StartClient | model.StopClient,
) -> None:
    lines: Sequence[model.StartProduct | model.StopProduct]
    if isinstance(client, model.StartClient):
        lines = client.start_producten
    else:
        lines = client.stop_producten
    rows = _aanlevering_rows(bericht_id, parties, client.bsn, lines)
    await repo.add_aanleveringen(session, parties, client.bsn, rows)


async def _record_antwoord(
    session: AsyncSession, bericht_id: int, parties: Parties, message: model.AntwoordBericht
) -> None:
    antwoord = message.antwoord
    row = {
        "bericht_id": bericht_id,
        "standaard": parties.standaard,
        "gemeentecode": parties.gemeentecode,
        "agb": parties.agb,
        "referentie_aanbieder": antwoord.referentie_aanbieder,
        "verzoek_antwoord": antwoord.verzoek_antwoord,
        "reden_afwijzing": antwoord.reden_afwijzing_verzoek,
        "dagtekening": message.header.dagtekening,
    }
    await repo.add_antwoorden(session, [row])


async def record(
    session: AsyncSession, bericht_id: int, result: CheckResult, outcome: Outcome
) -> None:
    """Write what the stored message ``bericht_id`` establishes, in the caller's transaction.
    A rejected message (or one that never got an outcome) establishes nothing."""
    parties = parties_of(result)
    message = result.message
    if parties is None or message is None or outcome.message_rejected:
        return
    header = message.header
    match message:
        case model.ToewijzingBericht():
            await _record_301(session, bericht_id, parties, message)
        case model.StartBericht(client=client) | model.StopBericht(client=client):
            await _record_lines(session, bericht_id, parties, client)
        case model.VerzoekOmToewijzingBericht(client=vot):
            rows = [
                _verzoek_row(bericht_id, parties, "315", vot.bsn, p.referentie_aanbieder, header)
                for p in vot.aangevraagde_producten
            ]
            await repo.add_verzoeken(session, rows)
        case model.VerzoekOmWijzigingBericht(client=vow):
            ref = vow.verzoek.referentie_aanbieder
            await repo.add_verzoeken(
                session, [_verzoek_row(bericht_id, parties, "317", vow.bsn, ref, header)]
            )
        case model.AntwoordBericht():
            await _record_antwoord(session, bericht_id, parties, message)


# --- the parties' view ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToewijzingHistorie:
    """One allocation of a client: every version, oldest first, and which one is current.
    ``huidig`` is None when a later 301 gave the number to another client or provider
    (TR332 forbids that; kept visible rather than hidden)."""

    standaard: str
    gemeentecode: str
    toewijzing_nummer: str
    versies: tuple[ToewijzingStand, ...]
    huidig: int | None  # the position of the current stand in ``versies``

    @property
    def stand(self) -> ToewijzingStand | None:
        return None if self.huidig is None else self.versies[self.huidig]

    def geldig_op(self, day: date) -> bool:
        """The current stand's period includes ``day``."""
        stand = self.stand
        if stand is None or stand.ingangsdatum > day:
            return False
        return stand.einddatum is None or day <= stand.einddatum


def _historie(key: tuple[str, str, str], group: Sequence[models.Toewijzing]) -> ToewijzingHistorie:
    current = [i for i, row in enumerate(group) if row.huidig]
    return ToewijzingHistorie(
        standaard=key[0],
        gemeentecode=key[1],
        toewijzing_nummer=key[2],
        versies=tuple(map(toewijzing_stand, group)),
        huidig=current[-1] if current else None,
    )


async def toewijzingen_van_client(
    session: AsyncSession,
    parties: Collection[str],
    bsn: str,
    *,
    standaard: str | None = None,
    op: date | None = None,
) -> list[ToewijzingHistorie]:
    """Every allocation made by or to ``parties`` (the party codes a key acts for) for the
    client, ended and deleted ones included, each with its history; ordered by law,
    municipality and ToewijzingNummer. With ``op``: only those current on that day."""
    rows = await repo.toewijzingen_of_client(
        session, parties, bsn, historie=True, standaard=standaard
    )
    versions: dict[tuple[str, str, str], list[models.Toewijzing]] = defaultdict(list)
    for row in rows:
        versions[(row.standaard, row.gemeentecode, row.toewijzing_nummer)].append(row)
    listing = [_historie(key, group) for key, group in versions.items()]
    return [h for h in listing if op is None or h.geldig_op(op)]
