"""The declaration register (``app.rules.context.DeclaratieRegister``) as the prefetch reads
it, in the processing transaction: for a 323 everything its level-3 rules ask about the
provider's earlier declarations, for a 301 the granted lines on the allocations it deletes
(TR385). One query per kind, whatever the number of prestaties; the caller has locked the
allocations named (``app.storage.repositories.registers.lock_toewijzingen``) first, so that
what it reads here stays true until it commits.

``per_toewijzing`` holds the standing debets (granted, not cancelled by a granted credit):
the rules read the allocation's lines only through ``app.rules.declaraties.staande_debets``,
for which credits and the debets they cancel drop out anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from types import MappingProxyType
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.rules.context import DeclaratieRegister, PrestatieStand
from app.standard import model
from app.standard.periods import Period, PeriodScheme
from app.storage import models
from app.storage.models.declaraties import GOEDGEKEURD
from app.storage.repositories import declaraties as repo
from app.storage.repositories.registers import Parties

Lines = MappingProxyType[str, tuple[PrestatieStand, ...]]


def stand(row: models.Prestatie, kop: repo.Kop) -> PrestatieStand:
    debet_credit: Literal["D", "C"] = "C" if row.debet_credit == "C" else "D"
    return PrestatieStand(
        agb=row.agb,
        gemeentecode=row.gemeentecode,
        bsn=row.bsn,
        referentie_nummer=row.referentie_nummer,
        vorig_referentie_nummer=row.vorig_referentie_nummer,
        toewijzing_nummer=row.toewijzing_nummer,
        categorie=row.categorie,
        code=row.code,
        begindatum=row.begindatum,
        einddatum=row.einddatum,
        geleverd_volume=row.geleverd_volume,
        eenheid=row.eenheid,
        bedrag=row.bedrag_cent,
        debet_credit=debet_credit,
        goedgekeurd=row.status == GOEDGEKEURD,
        declaratie_nummer=kop.declaratie_nummer,
        bericht_id=kop.bericht_id,
    )


async def _stands(session: AsyncSession, rows: Iterable[models.Prestatie]) -> list[PrestatieStand]:
    listed = list(rows)
    koppen = await repo.koppen(session, {row.declaratie_id for row in listed})
    return [stand(row, koppen[row.declaratie_id]) for row in listed]


def _by(stands: Iterable[tuple[str, PrestatieStand]]) -> Lines:
    groups: dict[str, list[PrestatieStand]] = defaultdict(list)
    for key, item in stands:
        groups[key].append(item)
    return MappingProxyType({k: tuple(v) for k, v in groups.items()})


async def standing_debets(
    session: AsyncSession, parties: Parties, nummers: Collection[str]
) -> Lines:
    """Per ToewijzingNummer, the granted debets on it no granted credit cancelled."""
    if not nummers:
        return MappingProxyType({})
    rows = await repo.ongecrediteerde_debets(
        session, parties.standaard, parties.gemeentecode, nummers
    )
    return _by((s.toewijzing_nummer, s) for s in await _stands(session, rows))


def _referenties(message: model.DeclaratieBericht) -> set[str]:
    found: set[str] = set()
    for client in message.declaratie.clienten:
        for p in client.prestaties:
            found.add(p.product_referentie.referentie_nummer)
            if p.product_referentie.vorig_referentie_nummer is not None:
                found.add(p.product_referentie.vorig_referentie_nummer)
    return found


def _op_referentie(stands: Iterable[PrestatieStand]) -> Lines:
    """Each line under its ReferentieNummer and under its VorigReferentieNummer."""
    pairs: list[tuple[str, PrestatieStand]] = []
    for s in stands:
        pairs.append((s.referentie_nummer, s))
        if s.vorig_referentie_nummer is not None:
            pairs.append((s.vorig_referentie_nummer, s))
    return _by(pairs)


async def _vorige_periode(
    session: AsyncSession, parties: Parties, periods: PeriodScheme
) -> Period | None:
    found = await repo.laatste_periode(
        session, parties.standaard, parties.agb, parties.gemeentecode
    )
    if found is None:
        return None
    begin, end = found
    label = periods.period_containing(begin)  # year and number only label it
    return Period(begin, end, label.year, label.number)


async def for_declaratie(
    session: AsyncSession,
    parties: Parties,
    message: model.DeclaratieBericht,
    nummers: Collection[str],
    periods: PeriodScheme,
) -> DeclaratieRegister:
    """The register a 323's rules read (see ``DeclaratieRegister`` for each field's scope)."""
    standaard, agb = parties.standaard, parties.agb
    nummer = message.declaratie.declaratie_nummer
    eerder = await repo.prestaties_by_referentie(session, standaard, agb, _referenties(message))
    return DeclaratieRegister(
        declaratienummers=await repo.used_declaratienummers(session, standaard, agb, {nummer}),
        op_referentie=_op_referentie(await _stands(session, eerder)),
        per_toewijzing=await standing_debets(session, parties, nummers),
        vorige_periode=await _vorige_periode(session, parties, periods),
    )
