"""A realistic large declaration (323) for benchmarks: compact XML as care providers' software
writes it (no indentation, the publisher's prefixes), level-2 clean.

Clients get 1–12 prestaties each, mostly hours or day parts with a tariff, some in euros, and
about one in twenty is a credit line reversing an earlier declaration with its correction.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from app.standard import catalog

PERIOD = ("2025-02-01", "2025-02-28")
# (category, code, unit, tariff in eurocents; None: unit 83, amounts in euros)
PRODUCTS = (
    ("02", "02A07", "04", 6250),
    ("01", "01A05", "83", None),
    ("07", "07A01", "16", 4275),
    ("03", "03A02", "01", 95),
    ("10", "10A12", "14", 18900),
)


def bsn(serial: int) -> str | None:
    """A 11-proof BSN for ``serial``, or None when no check digit fits."""
    body = f"{100_000_000 + serial * 13:09d}"[1:]  # 8 digits, spread out
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), body, strict=True))
    check = total % 11
    return None if check == 10 else body + str(check)


def bsns() -> Iterator[str]:
    serial = 0
    while True:
        serial += 1
        if (number := bsn(serial)) is not None:
            yield number


@dataclass
class Line:
    reference: str
    toewijzing: int
    product: tuple[str, str, str, int | None]
    period: tuple[str, str]
    volume: int
    credit_of: str | None = None

    @property
    def amount(self) -> int:
        tariff = self.product[3]
        return self.volume if tariff is None else self.volume * tariff

    def xml(self, m: str, b: str) -> str:
        categorie, code, eenheid, tariff = self.product
        vorig = f"<{b}:VorigReferentieNummer>{self.credit_of}</{b}:VorigReferentieNummer>"
        return (
            f"<{m}:Prestatie><{m}:ProductReferentie>"
            f"<{b}:ReferentieNummer>{self.reference}</{b}:ReferentieNummer>"
            f"{vorig if self.credit_of else ''}</{m}:ProductReferentie>"
            f"<{m}:ToewijzingNummer>{self.toewijzing}</{m}:ToewijzingNummer>"
            f"<{m}:ProductCategorie>{categorie}</{m}:ProductCategorie>"
            f"<{m}:ProductCode>{code}</{m}:ProductCode>"
            f"<{m}:ProductPeriode><{b}:Begindatum>{self.period[0]}</{b}:Begindatum>"
            f"<{b}:Einddatum>{self.period[1]}</{b}:Einddatum></{m}:ProductPeriode>"
            f"<{m}:GeleverdVolume>{self.volume}</{m}:GeleverdVolume>"
            f"<{m}:Eenheid>{eenheid}</{m}:Eenheid>"
            + (f"<{m}:ProductTarief>{tariff}</{m}:ProductTarief>" if tariff else "")
            + f"<{m}:IngediendBedrag><{b}:Bedrag>{self.amount}</{b}:Bedrag>"
            f"<{b}:DebetCredit>{'C' if self.credit_of else 'D'}</{b}:DebetCredit>"
            f"</{m}:IngediendBedrag></{m}:Prestatie>"
        )

    @property
    def signed(self) -> int:
        return -self.amount if self.credit_of else self.amount


def lines_for_client(rng: random.Random, count: int, first_ref: int, toewijzing: int) -> list[Line]:
    lines: list[Line] = []
    while len(lines) < count:
        ref = f"{first_ref + len(lines):010d}"
        product = rng.choice(PRODUCTS)
        volume = rng.randint(1, 40) if product[3] else rng.randint(5_000, 60_000)
        if count - len(lines) >= 2 and rng.random() < 0.05:
            # A January line reversed, and declared again with the corrected volume.
            january = ("2025-01-06", "2025-01-31")
            credit = Line(ref, toewijzing, product, january, volume, credit_of=f"J{ref}")
            redo_ref = f"{first_ref + len(lines) + 1:010d}"
            lines += [credit, Line(redo_ref, toewijzing, product, january, volume + 1)]
        else:
            lines.append(Line(ref, toewijzing, product, PERIOD, volume))
        toewijzing += 1  # one allocation per product line: debits never share a key (TR416)
    return lines


def declaratie(prestaties: int, standaard: str = "iwmo", seed: int = 323) -> bytes:
    """A 323 with exactly ``prestaties`` prestaties."""
    rng = random.Random(seed)
    numbers = bsns()
    clients: list[tuple[str, list[Line]]] = []
    done = 0
    while done < prestaties:
        count = min(rng.randint(1, 12), prestaties - done)
        clients.append((next(numbers), lines_for_client(rng, count, 1 + done, 200_000_000 + done)))
        done += count
    return bericht(standaard, f"BENCH{prestaties}", f"D{prestaties}", clients)


def bericht(
    standaard: str,
    identificatie: str,
    nummer: str,
    clients: list[tuple[str, list[Line]]],
    afzender: str = "73731234",
    ontvanger: str = "0363",
) -> bytes:
    """The 323 declaring ``clients`` (BSN and lines each) for PERIOD, with its total."""
    t = catalog.get(standaard, "323")
    m, b = t.code.lower(), t.standaard.value
    total = sum(line.signed for _, lines in clients for line in lines)
    clienten = "".join(
        f"<{m}:Client><{m}:Bsn>{number}</{m}:Bsn>"
        f"<{m}:Prestaties>{''.join(line.xml(m, b) for line in lines)}</{m}:Prestaties></{m}:Client>"
        for number, lines in clients
    )
    header = (
        f"<{m}:Header><{m}:BerichtCode>{t.bericht_code}</{m}:BerichtCode>"
        f"<{m}:BerichtVersie>3</{m}:BerichtVersie><{m}:BerichtSubversie>2</{m}:BerichtSubversie>"
        f"<{m}:Afzender>{afzender}</{m}:Afzender><{m}:Ontvanger>{ontvanger}</{m}:Ontvanger>"
        f"<{m}:BerichtIdentificatie><{b}:Identificatie>{identificatie}</{b}:Identificatie>"
        f"<{b}:Dagtekening>2025-03-05</{b}:Dagtekening></{m}:BerichtIdentificatie>"
        f"<{m}:XsdVersie><{b}:BasisschemaXsdVersie>1.0.0</{b}:BasisschemaXsdVersie>"
        f"<{b}:BerichtXsdVersie>1.0.0</{b}:BerichtXsdVersie></{m}:XsdVersie></{m}:Header>"
    )
    declaratie_xml = (
        f"<{m}:Declaratie><{m}:DeclaratieNummer>{nummer}</{m}:DeclaratieNummer>"
        f"<{m}:DeclaratiePeriode><{b}:Begindatum>{PERIOD[0]}</{b}:Begindatum>"
        f"<{b}:Einddatum>{PERIOD[1]}</{b}:Einddatum></{m}:DeclaratiePeriode>"
        f"<{m}:DeclaratieDagtekening>2025-03-05</{m}:DeclaratieDagtekening>"
        f"<{m}:TotaalIngediendBedrag><{b}:TotaalBedrag>{abs(total)}</{b}:TotaalBedrag>"
        f"<{b}:DebetCredit>{'D' if total >= 0 else 'C'}</{b}:DebetCredit>"
        f"</{m}:TotaalIngediendBedrag><{m}:Clienten>{clienten}</{m}:Clienten>"
        f"</{m}:Declaratie>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{m}:Bericht xmlns:{m}="{t.namespace}" xmlns:{b}="{t.basis_namespace}">'
        f"{header}{declaratie_xml}</{m}:Bericht>\n"
    ).encode()
