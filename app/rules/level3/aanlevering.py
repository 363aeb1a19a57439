"""Level-3 rules of the start (305) and stop (307) messages against the registers: the
allocations they belong to and the start and stop lines sent before.

A line is identified by its logical key (IV008): Bsn, ToewijzingNummer, Product and
Begindatum, for a stop also Einddatum and RedenBeeindiging. A stop belongs to the start with
the same Bsn, ToewijzingNummer, Product and Begindatum (its "start key"). A line with
StatusAanlevering 3 deletes the earlier line with its key; since a correction may delete and
resend in one message, the lines this message deletes no longer count for its other lines.
Deleted lines are checked only for what deleting needs (TR063, TR071): TR063 says a deletion
needs no other content checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from app.rules.context import Aanlevering, ToewijzingStand
from app.rules.registry import Hit, RuleContext, hit, rule
from app.standard import model

StartKey = tuple[str, str, str, str, date]  # Bsn, ToewijzingNummer, Categorie, Code, Begindatum
Key = tuple[object, ...]  # the start key, for a stop followed by Einddatum, RedenBeeindiging

VERWIJDEREN = "3"  # StatusAanlevering: delete the earlier line with this key
TIJDELIJK = "20"  # RedenBeeindiging: delivery stopped for a while


def _text(value: str | None) -> str:
    return value or ""


@dataclass(frozen=True, slots=True)
class Line:
    """One StartProduct or StopProduct of the message with its keys."""

    node: model.StartProduct | model.StopProduct
    start_key: StartKey
    key: Key

    @property
    def verwijdert(self) -> bool:
        return self.node.status_aanlevering == VERWIJDEREN

    @property
    def nummer(self) -> str:
        return self.start_key[1]


def _line(bsn: str, node: model.StartProduct | model.StopProduct) -> Line:
    product = node.product
    categorie = _text(product.categorie) if product else ""
    code = _text(product.code) if product else ""
    start_key: StartKey = (bsn, model.nummer_als_verzonden(node), categorie, code, node.begindatum)
    key: Key = start_key
    if isinstance(node, model.StopProduct):
        key = (*start_key, node.einddatum, _text(node.reden_beeindiging))
    return Line(node, start_key, key)


def start_key_of(record: Aanlevering) -> StartKey:
    return (
        record.bsn,
        _text(record.toewijzing_nummer),
        _text(record.categorie),
        _text(record.code),
        record.begindatum,
    )


def key_of(record: Aanlevering) -> Key:
    if record.soort == "stop":
        return (*start_key_of(record), record.einddatum, _text(record.reden_beeindiging))
    return start_key_of(record)


@dataclass(frozen=True, slots=True)
class View:
    """A 305 or 307 with what the registers say about its client: the lines sent before
    between the two parties (deleted ones left out) and the allocations."""

    soort: str  # "start" or "stop": the kind of this message's lines
    lines: tuple[Line, ...]
    starts: tuple[Aanlevering, ...]
    stops: tuple[Aanlevering, ...]
    toewijzingen: tuple[ToewijzingStand, ...]

    def earlier(self) -> tuple[Aanlevering, ...]:
        """The earlier lines of this message's kind."""
        return self.starts if self.soort == "start" else self.stops

    def deleted_here(self) -> frozenset[Key]:
        return frozenset(line.key for line in self.lines if line.verwijdert)

    def remaining(self) -> tuple[Aanlevering, ...]:
        """The earlier lines of this kind that this message does not delete."""
        gone = self.deleted_here()
        return tuple(r for r in self.earlier() if key_of(r) not in gone)

    def new_lines(self) -> Iterator[Line]:
        return (line for line in self.lines if not line.verwijdert)


def view(message: model.Bericht, context: RuleContext) -> View | None:
    client = getattr(message, "client", None)
    nodes: Sequence[model.StartProduct | model.StopProduct]
    if isinstance(client, model.StartClient):
        soort, nodes = "start", client.start_producten
    elif isinstance(client, model.StopClient):
        soort, nodes = "stop", client.stop_producten
    else:
        return None
    header, registers = message.header, context.state.registers
    records = [
        r
        for r in registers.aanleveringen.get(client.bsn, ())
        if (r.bsn, r.gemeentecode, r.agb) == (client.bsn, header.ontvanger, header.afzender)
        and not r.verwijderd
    ]
    toewijzingen = tuple(
        t
        for t in registers.toewijzingen.get(client.bsn, ())
        if (t.bsn, t.gemeentecode, t.agb) == (client.bsn, header.ontvanger, header.afzender)
    )
    return View(
        soort,
        tuple(_line(client.bsn, node) for node in nodes),
        tuple(r for r in records if r.soort == "start"),
        tuple(r for r in records if r.soort == "stop"),
        toewijzingen,
    )


# --- both messages -------------------------------------------------------------------------


@rule(
    "TR019",
    level=3,
    retourcode="9019",
    berichten=("305", "307"),
    klassen=("StartProduct", "StopProduct"),
    summary="A start or stop with a ToewijzingNummer relates to an allocation of this "
    "municipality to this provider for the client with that number.",
    interpretation="The output- or effort-oriented way of working is recognised by a filled "
    "ToewijzingNummer (in the task-oriented way it stays empty and nothing is related). The "
    "allocation must be one this municipality sent this provider for this client, compared "
    "as the text sent, and not deleted (Einddatum = Ingangsdatum with RedenWijziging 13 or "
    "01: it counts as never sent); an ended allocation still relates. The rule text lists "
    "305 and 307 (the issue named 305 only); both are checked. Lines that delete "
    "(StatusAanlevering 3) are not checked (TR063).",
)
def gerelateerd_aan_toewijzing(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None:
        return
    for line in v.new_lines():
        if not line.nummer:
            continue
        same = [t for t in v.toewijzingen if t.toewijzing_nummer == line.nummer]
        if not any(not t.verwijderd for t in same):
            why = "was deleted" if same else "is not known"
            yield hit(
                line.node,
                "ToewijzingNummer",
                message=f"ToewijzingNummer {line.nummer} {why}: a start or stop must relate "
                "to an allocation of this municipality to this provider for the client.",
            )


@rule(
    "TR063",
    level=3,
    retourcode="9063",
    berichten=("305", "307"),
    klassen=("StartProduct", "StopProduct"),
    summary="A line that deletes (StatusAanlevering 3) names an earlier line with the same "
    "logical key for the client.",
    interpretation="The earlier line is a StartProduct (in a 305) or StopProduct (in a 307) "
    "this provider sent this municipality for the client, with the same key (ToewijzingNummer, "
    "Product and Begindatum; for a stop also Einddatum and RedenBeeindiging), and not deleted "
    "already. No other rule checks the content of a deleting line.",
)
def verwijderen_na_aanlevering(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None:
        return
    known = {key_of(r) for r in v.earlier()}
    for line in v.lines:
        if line.verwijdert and line.key not in known:
            yield hit(
                line.node,
                "StatusAanlevering",
                message="StatusAanlevering 3 deletes an earlier line, but no earlier "
                f"{'StartProduct' if v.soort == 'start' else 'StopProduct'} with this logical "
                "key was sent for the client (or it was deleted already).",
            )


@rule(
    "TR074",
    level=3,
    retourcode="9074",
    berichten=("305", "307"),
    klassen=("StartProduct", "StopProduct"),
    summary="A first delivery (StatusAanlevering 1) has a logical key not used by an earlier "
    "line for the client.",
    interpretation="Earlier lines are those of the same kind (start or stop) between the same "
    "two parties; deleted ones (StatusAanlevering 3) count as never sent (IV008: delete, then "
    "resend the same key in a later message). Uniqueness within the message is TR101 at "
    "level 2.",
)
def sleutel_uniek(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None:
        return
    known = {key_of(r) for r in v.earlier()}
    for line in v.new_lines():
        if line.node.status_aanlevering == "1" and line.key in known:
            yield hit(
                line.node,
                "StatusAanlevering",
                message="A line with this logical key was sent before for the client; to "
                "correct it, delete it first (StatusAanlevering 3).",
            )


# --- start (305) ---------------------------------------------------------------------------


def _gestopt(start_key: StartKey, stops: Sequence[Aanlevering]) -> bool:
    return any(start_key_of(stop) == start_key for stop in stops)


@rule(
    "TR071",
    level=3,
    retourcode="9071",
    berichten=("305",),
    klassen=("StartProduct",),
    summary="A start cannot be deleted (StatusAanlevering 3) once a stop was sent for it.",
    interpretation="The stop is a StopProduct with the start's Bsn, ToewijzingNummer, Product "
    "and Begindatum that is not deleted; to correct such a start, delete its stop first.",
)
def start_niet_verwijderen_na_stop(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "start":
        return
    for line in v.lines:
        if line.verwijdert and _gestopt(line.start_key, v.stops):
            yield hit(
                line.node,
                "StatusAanlevering",
                message="This start cannot be deleted: a stop was sent for it. Delete the "
                "stop first.",
            )


def _toewijzing_groep(key: StartKey) -> tuple[str, ...]:
    """The allocation a start belongs to: its ToewijzingNummer, or without one (the
    task-oriented way) its product."""
    bsn, nummer, categorie, code, _ = key
    return (bsn, nummer) if nummer else (bsn, "", categorie, code)


@rule(
    "TR326",
    level=3,
    retourcode="9326",
    berichten=("305",),
    klassen=("StartProduct",),
    summary="A start may be sent only when the allocation has no current start (one not "
    "stopped and not deleted).",
    interpretation="A current start is an earlier StartProduct for the same allocation (the "
    "same ToewijzingNummer; without one, the same product) that is not deleted, also not by "
    "a deleting line in this message (IV008: delete and resend together), and has no stop "
    "(a StopProduct with its Bsn, ToewijzingNummer, Product and Begindatum, temporary or "
    "definitive, not deleted). After a stop a new start is allowed.",
)
def geen_actuele_start(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "start":
        return
    actueel = {
        _toewijzing_groep(start_key_of(r))
        for r in v.remaining()
        if not _gestopt(start_key_of(r), v.stops)
    }
    for line in v.new_lines():
        if _toewijzing_groep(line.start_key) in actueel:
            yield hit(
                line.node,
                message="The allocation already has a current start that was not stopped; "
                "send a stop (or delete that start) before a new start.",
            )


# --- stop (307) ----------------------------------------------------------------------------


@rule(
    "TR382",
    level=3,
    retourcode="9069",
    berichten=("307",),
    klassen=("StopProduct",),
    summary="A stop carries the key elements of its start unchanged: a start with the same "
    "Bsn, ToewijzingNummer, Product and Begindatum was sent.",
    interpretation="The start must have been sent by this provider to this municipality and "
    "not be deleted; a start already stopped temporarily still takes its definitive stop "
    "(whether more stops are allowed is TR413–TR415). Its code is 9069 (no current start "
    "with the same key).",
)
def stop_bij_start(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "stop":
        return
    starts = {start_key_of(r) for r in v.starts}
    for line in v.new_lines():
        if line.start_key not in starts:
            yield hit(
                line.node,
                message="No start with this ToewijzingNummer, Product and Begindatum was sent "
                "for the client; a stop takes the key elements of its start unchanged.",
            )


def _stops_van(v: View, line: Line) -> list[Aanlevering]:
    """The current stops of the line's start: earlier, not deleted, also not here."""
    return [r for r in v.remaining() if start_key_of(r) == line.start_key]


def _aanleveringen(v: View) -> Iterator[Line]:
    """The stop lines that deliver (StatusAanlevering 1 or 2)."""
    return (line for line in v.lines if line.node.status_aanlevering in ("1", "2"))


_SAME_START = (
    "the same start (Bsn, ToewijzingNummer, Product and Begindatum; not deleted, also not by "
    "a deleting line in this message: IV008 lets a correction delete and resend in one 307)"
)


@rule(
    "TR413",
    level=3,
    retourcode="9413",
    berichten=("307",),
    klassen=("StopProduct",),
    summary="A start stopped temporarily (RedenBeeindiging 20) cannot be stopped temporarily "
    "again.",
    interpretation=f"The earlier stop with reason 20 is one of {_SAME_START}. The text names "
    "Bsn, ToewijzingNummer and Begindatum; Product is part of the start's key too, which only "
    "matters without a ToewijzingNummer.",
)
def geen_tweede_tijdelijke_stop(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "stop":
        return
    for line in _aanleveringen(v):
        assert isinstance(line.node, model.StopProduct)
        if line.node.reden_beeindiging != TIJDELIJK:
            continue
        if any(r.reden_beeindiging == TIJDELIJK for r in _stops_van(v, line)):
            yield hit(
                line.node,
                "RedenBeeindiging",
                message="This start was already stopped temporarily (RedenBeeindiging 20); "
                "a further stop must be definitive.",
            )


@rule(
    "TR414",
    level=3,
    retourcode="9414",
    berichten=("307",),
    klassen=("StopProduct",),
    summary="A further stop of the same start ends on or after the Einddatum of its current stop.",
    interpretation=f"The current stop is the latest received of {_SAME_START}. Equal "
    "Einddatum passes (a definitive stop right after a temporary one).",
)
def einddatum_niet_eerder(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "stop":
        return
    for line in _aanleveringen(v):
        assert isinstance(line.node, model.StopProduct)
        stops = _stops_van(v, line)
        if not stops:
            continue
        actueel = max(stops, key=lambda r: (r.bericht_id, r.einddatum or date.min))
        if actueel.einddatum is not None and line.node.einddatum < actueel.einddatum:
            yield hit(
                line.node,
                "Einddatum",
                message=f"Einddatum {line.node.einddatum} is before {actueel.einddatum}, the "
                "Einddatum of the current stop of this start; it must be the same or later.",
            )


@rule(
    "TR415",
    level=3,
    retourcode="9415",
    berichten=("307",),
    klassen=("StopProduct",),
    summary="A start stopped definitively (RedenBeeindiging other than 20) takes no further stop.",
    interpretation=f"The definitive stop is one of {_SAME_START}. To correct it, delete it "
    "(StatusAanlevering 3) in the same or an earlier message.",
)
def geen_stop_na_definitieve_stop(message: model.Bericht, context: RuleContext) -> Iterator[Hit]:
    v = view(message, context)
    if v is None or v.soort != "stop":
        return
    for line in _aanleveringen(v):
        if any(r.reden_beeindiging != TIJDELIJK for r in _stops_van(v, line)):
            yield hit(
                line.node,
                message="This start was already stopped definitively; no further stop can "
                "be sent unless that stop is deleted first.",
            )
