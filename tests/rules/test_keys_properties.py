"""Properties of the key, overlap and total rules (app/rules/level2/keys.py), on messages built
from the examples: totals in exact eurocents (TR358, TR342), duplicates (TR101 and what a
duplicate Prestatie triggers besides), stacking against a pairwise reference (TR302), and
linear behaviour on a declaration with 50,000 Prestaties."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.processing.checking import namespaces
from app.rules import REGISTRY, RuleContext
from app.standard import model
from app.standard.binding import extract
from tests.support.messages import (
    TODAY,
    check,
    example_tree,
    find,
    fragment,
    to_bytes,
    type_of,
)

EXAMPLES_323 = ("WMO323", "JW323")
BSNS = ("999927176", "999913050", "999996575")  # 11-proof
MY_323_RULES = {"TR101", "TR315", "TR316", "TR416", "TR358"}

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

signed_amounts = st.tuples(st.integers(0, 99_999_999), st.sampled_from("DC"))


def signed(amount: int, sign: str) -> int:
    return -amount if sign == "C" else amount


def unsigned(value: int) -> tuple[int, str]:
    return abs(value), "C" if value < 0 else "D"


def findings(data: bytes, rules: set[str]) -> list[str]:
    result = check(data)
    assert result.failed_level not in (0, 1), result.findings
    return sorted(f"{f.id}@{f.location}" for f in result.findings if f.id in rules)


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def child(element: etree._Element, name: str) -> etree._Element:
    return next(c for c in element if isinstance(c.tag, str) and local(c) == name)


def set_text(element: etree._Element, path: str, text: str) -> None:
    find(element, path).text = text


# --- building a 323 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One Prestatie: everything the key and total rules look at."""

    referentie: str
    toewijzing: int
    bedrag: int
    sign: str
    vorig: str | None = None


def build_323(example: str, clients: list[list[Line]], total: tuple[int, str] | None) -> bytes:
    """The example 323 with its Clients replaced by ``clients`` (Prestaties copied from the
    example's first one); the total is the correct one unless ``total`` is given."""
    tree = example_tree(example)
    root = tree.getroot()
    clienten = find(root, "Declaratie/Clienten")
    template_client = copy.deepcopy(find(clienten, "Client[1]"))
    template = copy.deepcopy(find(template_client, "Prestaties/Prestatie[1]"))
    for element in list(clienten):
        clienten.remove(element)
    som = 0
    for bsn, lines in zip(BSNS, clients, strict=False):
        client = copy.deepcopy(template_client)
        child(client, "Bsn").text = bsn
        prestaties = child(client, "Prestaties")
        for element in list(prestaties):
            prestaties.remove(element)
        for line in lines:
            p = copy.deepcopy(template)
            set_text(p, "ProductReferentie/ReferentieNummer", line.referentie)
            if line.vorig is not None:
                find(p, "ProductReferentie/ReferentieNummer").addnext(
                    fragment(
                        root, f"<b:VorigReferentieNummer>{line.vorig}</b:VorigReferentieNummer>"
                    )
                )
            set_text(p, "ToewijzingNummer", str(line.toewijzing))
            set_text(p, "IngediendBedrag/Bedrag", str(line.bedrag))
            set_text(p, "IngediendBedrag/DebetCredit", line.sign)
            prestaties.append(p)
            som += signed(line.bedrag, line.sign)
        clienten.append(client)
    amount, sign = total if total is not None else unsigned(som)
    set_text(root, "Declaratie/TotaalIngediendBedrag/TotaalBedrag", str(amount))
    set_text(root, "Declaratie/TotaalIngediendBedrag/DebetCredit", sign)
    return to_bytes(tree)


# --- TR358: the declared total is the signed sum, exactly ---------------------------------------


@PROPERTY_SETTINGS
@given(
    example=st.sampled_from(EXAMPLES_323),
    amounts=st.lists(signed_amounts, min_size=1, max_size=25),
    other=signed_amounts,
)
def test_tr358_correct_total_passes_any_other_fails(
    example: str, amounts: list[tuple[int, str]], other: tuple[int, str]
) -> None:
    lines = [
        Line(f"R{i}", 100000 + i, bedrag, sign, vorig=f"V{i}" if sign == "C" else None)
        for i, (bedrag, sign) in enumerate(amounts)
    ]
    som = sum(signed(b, s) for b, s in amounts)
    assert findings(build_323(example, [lines], None), {"TR358"}) == []
    expected = [] if signed(*other) == som else ["TR358@/Bericht/Declaratie/TotaalIngediendBedrag"]
    assert findings(build_323(example, [lines], other), {"TR358"}) == expected


@pytest.mark.parametrize("example", EXAMPLES_323)
def test_tr358_zero_total_matches_with_either_sign(example: str) -> None:
    lines = [Line("R1", 1, 5000, "D"), Line("R2", 2, 5000, "C", vorig="V1")]
    for sign in "DC":
        assert findings(build_323(example, [lines], (0, sign)), {"TR358"}) == []


@pytest.mark.parametrize("example", EXAMPLES_323)
def test_tr358_large_sums_stay_exact(example: str) -> None:
    """30 × 99,999,999 cents plus one cent: no float would keep that last cent."""
    lines = [Line(f"R{i}", i, 99_999_999, "D") for i in range(30)] + [Line("R99", 99, 1, "D")]
    exact = 30 * 99_999_999 + 1
    assert findings(build_323(example, [lines], (exact, "D")), {"TR358"}) == []
    assert findings(build_323(example, [lines], (exact - 1, "D")), {"TR358"}) != []


# --- TR101 (and friends) on a duplicated Prestatie ------------------------------------------


@st.composite
def clean_declarations(draw: st.DrawFn) -> list[list[Line]]:
    """1–3 Clients with Prestaties that are clean of TR101/TR315/TR316/TR416: unique
    references, unique VorigReferentieNummers outside the message, one debit per key."""
    serial = iter(range(1, 10_000))
    clients = []
    for _ in range(draw(st.integers(1, 3))):
        lines = []
        for _ in range(draw(st.integers(1, 5))):
            n = next(serial)
            bedrag, sign = draw(signed_amounts)
            lines.append(Line(f"R{n}", n, bedrag, sign, f"V{n}" if sign == "C" else None))
        clients.append(lines)
    return clients


@PROPERTY_SETTINGS
@given(example=st.sampled_from(EXAMPLES_323), clients=clean_declarations(), data=st.data())
def test_tr101_duplicating_any_prestatie_is_one_finding_on_the_copy(
    example: str, clients: list[list[Line]], data: st.DataObject
) -> None:
    assert findings(build_323(example, clients, None), MY_323_RULES) == []
    c = data.draw(st.integers(0, len(clients) - 1), label="client")
    i = data.draw(st.integers(0, len(clients[c]) - 1), label="prestatie")
    line = clients[c][i]
    duplicated = [list(lines) for lines in clients]
    duplicated[c].insert(i + 1, line)  # the copy right after the original; totals still add up
    copy_at = f"/Bericht/Declaratie/Clienten/Client[{c + 1}]/Prestaties/Prestatie[{i + 2}]"
    expected = [f"TR101@{copy_at}"]
    if line.sign == "D":  # a second debit for the same allocation, product and period
        expected.append(f"TR416@{copy_at}")
    if line.vorig is not None:  # the same earlier Prestatie credited twice
        expected.append(f"TR315@{copy_at}/ProductReferentie/VorigReferentieNummer")
    assert findings(build_323(example, duplicated, None), MY_323_RULES) == sorted(expected)


@pytest.mark.parametrize("example", EXAMPLES_323)
def test_tr101_same_reference_under_another_client_is_no_duplicate(example: str) -> None:
    clients = [[Line("R1", 1, 100, "D")], [Line("R1", 2, 100, "D")]]
    assert findings(build_323(example, clients, None), MY_323_RULES) == []


@PROPERTY_SETTINGS
@given(
    example=st.sampled_from(EXAMPLES_323),
    clients=clean_declarations().filter(lambda c: len(c) >= 2),
    data=st.data(),
)
def test_tr416_the_same_debit_under_another_client_is_no_finding(
    example: str, clients: list[list[Line]], data: st.DataObject
) -> None:
    """TR416 compares a debit only with the earlier Prestaties of its own Client."""
    source, target = data.draw(
        st.lists(st.integers(0, len(clients) - 1), min_size=2, max_size=2, unique=True),
        label="clients",
    )
    line = data.draw(st.sampled_from(clients[source]), label="line")
    copied = [list(lines) for lines in clients]
    copied[target].append(Line(f"X{line.referentie}", line.toewijzing, line.bedrag, "D"))
    assert findings(build_323(example, copied, None), MY_323_RULES) == []
    # Within its own Client the same debit twice is a finding (on the later one).
    copied[source].append(Line(f"Y{line.referentie}", line.toewijzing, line.bedrag, "D"))
    position = len(copied[source])
    at = f"/Bericht/Declaratie/Clienten/Client[{source + 1}]/Prestaties/Prestatie[{position}]"
    expected = [] if line.sign == "C" else [f"TR416@{at}"]
    assert findings(build_323(example, copied, None), MY_323_RULES) == expected


@PROPERTY_SETTINGS
@given(
    example=st.sampled_from(EXAMPLES_323),
    amounts=st.lists(signed_amounts, min_size=1, max_size=10),
    zeros=st.integers(1, 3),
)
def test_tr358_the_total_is_compared_as_text(
    example: str, amounts: list[tuple[int, str]], zeros: int
) -> None:
    """The right sum written with leading zeros is a finding: the checker compares text."""
    lines = [
        Line(f"R{i}", 100000 + i, bedrag, sign, vorig=f"V{i}" if sign == "C" else None)
        for i, (bedrag, sign) in enumerate(amounts)
    ]
    amount, _ = unsigned(sum(signed(b, s) for b, s in amounts))
    tree = etree.fromstring(build_323(example, [lines], None))
    set_text(tree, "Declaratie/TotaalIngediendBedrag/TotaalBedrag", "0" * zeros + str(amount))
    expected = ["TR358@/Bericht/Declaratie/TotaalIngediendBedrag"]
    assert findings(to_bytes(tree), {"TR358"}) == expected


# --- TR342: the answer's listed Prestaties explain the difference ----------------------------


@PROPERTY_SETTINGS
@given(
    example=st.sampled_from(("WMO325", "JW325")),
    listed=st.lists(signed_amounts, min_size=0, max_size=10),
    granted=st.integers(-(10**10), 10**10),
    other=st.integers(-(10**10), 10**10),
)
def test_tr342_difference_is_the_listed_sum(
    example: str, listed: list[tuple[int, str]], granted: int, other: int
) -> None:
    submitted = granted + sum(signed(b, s) for b, s in listed)

    def answer(toegekend: int) -> bytes:
        tree = example_tree(example)
        root = tree.getroot()
        da = find(root, "DeclaratieAntwoord")
        clienten = find(da, "Clienten")
        template = copy.deepcopy(find(clienten, "Client[1]/Prestaties/Prestatie[1]"))
        prestaties = find(clienten, "Client[1]/Prestaties")
        for element in list(prestaties):
            prestaties.remove(element)
        for extra in list(clienten)[1:]:
            clienten.remove(extra)
        for n, (bedrag, sign) in enumerate(listed):
            p = copy.deepcopy(template)
            set_text(p, "ProductReferentie/ReferentieNummer", f"R{n}")
            set_text(p, "IngediendBedrag/Bedrag", str(bedrag))
            set_text(p, "IngediendBedrag/DebetCredit", sign)
            prestaties.append(p)
        if not listed:
            da.remove(clienten)
            set_text(da, "RetourCodes/RetourCode", "8001")
        for name, value in (
            ("TotaalIngediendBedrag", submitted),
            ("TotaalToegekendBedrag", toegekend),
        ):
            amount, sign = unsigned(value)
            set_text(da, f"{name}/TotaalBedrag", str(amount))
            set_text(da, f"{name}/DebetCredit", sign)
        return to_bytes(tree)

    assert findings(answer(granted), {"TR342"}) == []
    expected = (
        [] if other == granted else ["TR342@/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag"]
    )
    assert findings(answer(other), {"TR342"}) == expected


# --- TR302: stacking equals the pairwise definition ----------------------------------------------


@dataclass(frozen=True)
class Allocation:
    categorie: str | None  # None: no Product (a generic budget allocation)
    code: str | None
    start: date
    end: date | None
    removed: bool = False  # Einddatum = Ingangsdatum with RedenWijziging 13


def stacked_pairwise(allocations: list[Allocation]) -> set[int]:
    """The spec's definition, pair by pair: the later of each clashing pair (1-based)."""

    def same(a: Allocation, b: Allocation) -> bool:
        if a.categorie is None or b.categorie is None:
            return True
        if a.code is None or b.code is None:
            return a.categorie == b.categorie
        return (a.categorie, a.code) == (b.categorie, b.code)

    def overlap(a: Allocation, b: Allocation) -> bool:
        return a.start <= (b.end or date.max) and b.start <= (a.end or date.max)

    exempt = {"11", "12", "13", "14"}
    out = set()
    for j, b in enumerate(allocations):
        for a in allocations[:j]:
            if a.removed or b.removed or a.categorie in exempt or b.categorie in exempt:
                continue
            if same(a, b) and overlap(a, b):
                out.add(j + 1)
    return out


# Categories per standard: two ordinary ones and, for iWmo, an aid category (11–14 are exempt).
CATEGORIES = {"WMO301": ("02", "03", "13"), "JW301": ("45", "41")}


@st.composite
def allocations(draw: st.DrawFn, categories: tuple[str, ...]) -> Allocation:
    categorie = draw(st.sampled_from((None, *categories)))
    code = None if categorie is None else draw(st.sampled_from([None, "A1", "A2"]))
    code = code and f"{categorie}{code}"
    start = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 60)))
    if draw(st.integers(0, 5)) == 0:
        return Allocation(categorie, code, start, start, removed=True)
    end = draw(st.one_of(st.none(), st.integers(0, 30).map(lambda d: start + timedelta(days=d))))
    return Allocation(categorie, code, start, end)


def build_301(example: str, items: list[Allocation]) -> bytes:
    """The example 301 with its allocations replaced by budget allocations numbered 1…n, with
    or without Product (other rules may object to some shapes; only TR302 is looked at)."""
    tree = example_tree(example)
    root = tree.getroot()
    container = find(root, "Client/ToegewezenProducten")
    template = copy.deepcopy(find(container, "ToegewezenProduct[2]"))  # category only, budget
    for element in list(container):
        container.remove(element)
    for n, item in enumerate(items, start=1):
        tp = copy.deepcopy(template)
        set_text(tp, "ToewijzingNummer", str(n))
        product = child(tp, "Product")
        if item.categorie is None:
            tp.remove(product)
        else:
            set_text(product, "Categorie", item.categorie)
            if item.code:
                product.append(fragment(root, f"<b:Code>{item.code}</b:Code>"))
        set_text(tp, "Ingangsdatum", item.start.isoformat())
        einddatum = child(tp, "Einddatum")
        if item.end is None:
            tp.remove(einddatum)
        else:
            einddatum.text = item.end.isoformat()
        if item.removed:
            einddatum.addnext(fragment(root, "<m:RedenWijziging>13</m:RedenWijziging>"))
        container.append(tp)
    return to_bytes(tree)


@PROPERTY_SETTINGS
@given(data=st.data(), example=st.sampled_from(sorted(CATEGORIES)))
def test_tr302_matches_the_pairwise_definition(data: st.DataObject, example: str) -> None:
    items = data.draw(
        st.lists(allocations(CATEGORIES[example]), min_size=1, max_size=8), label="items"
    )
    expected = sorted(
        f"TR302@/Bericht/Client/ToegewezenProducten/ToegewezenProduct[{n}]"
        for n in stacked_pairwise(items)
    )
    assert findings(build_301(example, items), {"TR302"}) == expected


# --- scale: the rules stay linear (or n log n) -------------------------------------------------


def repeated(example: str, container: str, items: list[str]) -> etree._Element:
    """The example with the children of ``container`` replaced by ``items`` (XML text, each
    declaring its namespaces), parsed once: fast enough for tens of thousands of elements."""
    tree = example_tree(example)
    element = find(tree.getroot(), container)
    for item in list(element):
        element.remove(item)
    element.text = "@ITEMS@"
    return etree.fromstring(to_bytes(tree).replace(b"@ITEMS@", "".join(items).encode()))


def item_text(example: str, path: str, **markers: str) -> str:
    """The element at ``path`` of the example as XML text, with the texts of the descendants
    named in ``markers`` (path with '/' written as '__') replaced by the marker values."""
    element = copy.deepcopy(find(example_tree(example).getroot(), path))
    for name, value in markers.items():
        set_text(element, name.replace("__", "/"), value)
    return etree.tostring(element).decode()


def test_rules_on_50000_prestaties_stay_exact() -> None:
    """50,000 Prestaties in one Client (every 10th a credit): keyed rules find nothing to
    report among distinct keys at this size. (How fast they are is measured in bench/.)"""
    path = "Declaratie/Clienten/Client[1]/Prestaties/Prestatie"
    debit = item_text("JW323", f"{path}[1]", ProductReferentie__ReferentieNummer="@R@")
    debit = debit.replace(">202580412<", ">@N@<")
    credit = item_text("JW323", f"{path}[2]", ProductReferentie__ReferentieNummer="@R@")
    credit = credit.replace(">2025010007<", ">V@N@<").replace(">202580412<", ">@N@<")
    items = [
        (credit if n % 10 == 0 else debit).replace("@R@", f"R{n}").replace("@N@", str(n))
        for n in range(50_000)
    ]
    root = repeated("JW323", "Declaratie/Clienten/Client[1]/Prestaties", items)
    bericht_type = type_of("JW323")
    message = extract(model.DeclaratieBericht, root, namespaces(bericht_type))
    assert len(message.declaratie.clienten[0].prestaties) == 50_000
    context = RuleContext(bericht_type, today=TODAY)
    for rule_id in ("TR101", "TR315", "TR316", "TR416", "TR358", "TR319"):
        hits = list(REGISTRY[rule_id].run(message, context))
        if rule_id != "TR358":  # the total is left as it was
            assert hits == [], rule_id


def test_stacking_among_20000_allocations_reports_only_the_overlapping_one() -> None:
    """20,000 allocations of one product in consecutive one-day periods plus a last one that
    is open from the first day: only that one overlaps (all the others)."""
    tp = "Client/ToegewezenProducten/ToegewezenProduct"
    template = item_text("WMO301", f"{tp}[1]", ToewijzingNummer="@N@", Ingangsdatum="@B@")
    first = date(2000, 1, 1)
    items = []
    for n in range(20_000):
        day = (first + timedelta(days=n)).isoformat()
        text = template.replace("@N@", str(n + 1)).replace("@B@", day)
        items.append(text.replace(">2025-12-31<", f">{day}<"))
    last = re.sub(r"<(\w+):Einddatum>[^<]*</\1:Einddatum>", "", items[-1])
    items[-1] = last.replace(day, first.isoformat())
    root = repeated("WMO301", "Client/ToegewezenProducten", items)
    bericht_type = type_of("WMO301")
    message = extract(model.ToewijzingBericht, root, namespaces(bericht_type))
    assert message.client.toegewezen_producten[-1].einddatum is None
    hits = list(REGISTRY["TR302"].run(message, RuleContext(bericht_type, today=TODAY)))
    assert [h.location for h in hits] == [f"/Bericht/{tp}[20000]"]
